"""The demo partner organisation (a step of ``manage.py seed_demo``)."""
from community.demo.data import PARTNER
from community.models import User

from .models import Organisation, PartnerMembership


def seed_partner() -> int:
    organisation, created = Organisation.objects.get_or_create(
        name=PARTNER["name"],
        defaults={
            "website": PARTNER["website"],
            "status": Organisation.Status.VERIFIED,
            "description": "Family hop farm growing aroma hops for home brewers.",
        },
    )
    added = int(created)
    for i, username in enumerate(PARTNER["members"]):
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        _, new = PartnerMembership.objects.get_or_create(
            organisation=organisation, user=user, defaults={"is_admin": i == 0}
        )
        added += new
    return added


HOWTO = {
    "title": "Growing aroma hops on a balcony: a season with Northfield",
    "body": "We grow Cascade on forty acres; Aisha grows it in two pots on a fourth floor. "
            "Together we wrote down what works at both ends.\n\n"
            "1. Plant rhizomes in April, in 40-litre pots with drainage.\n"
            "2. Give each bine a 3 m string; train clockwise.\n"
            "3. Pick when the cones feel papery and leave yellow dust on your fingers.",
    "author": "pablo",
    "coauthor": "aisha",
    "replies": [("ben", "Mine got powdery mildew in August. Did you spray anything?"),
                ("aisha", "@ben milk and water, 1 to 9, every week worked for me."),
                ("dev", "Saving this. Does Centennial do as well in pots?")],
}


def seed_partner_content() -> int:
    """One how-to the hop farm wrote with a member, and the conversation under it."""
    from community.models import Space, Thread
    from community.services import conversations

    from .models import PartnerPost
    from .services import coauthor_respond, partner_publish

    if Thread.objects.filter(title=HOWTO["title"]).exists():
        return 0
    organisation = Organisation.objects.filter(name=PARTNER["name"]).first()
    people = {u.username: u for u in User.objects.filter(
        username__in=[HOWTO["author"], HOWTO["coauthor"]] + [r[0] for r in HOWTO["replies"]])}
    space = Space.objects.filter(name__icontains="Recipes").first() or Space.objects.first()
    if organisation is None or HOWTO["author"] not in people or space is None:
        return 0
    post = partner_publish(author=people[HOWTO["author"]], organisation=organisation,
                           kind=PartnerPost.Kind.HOWTO, title=HOWTO["title"],
                           body=HOWTO["body"], space=space,
                           coauthors=[people[HOWTO["coauthor"]]])
    coauthor_respond(user=people[HOWTO["coauthor"]], coauthor=post.coauthors.get(),
                     accept=True)
    for username, body in HOWTO["replies"]:
        conversations.post_create(author=people[username], thread=post.thread, body=body)
    return 2 + len(HOWTO["replies"])
