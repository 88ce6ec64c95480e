"""The demo's shared purpose and two projects (a step of ``manage.py seed_demo``).

Written through the services, so the demo's projects carry the same events, counters and
notifications as real ones; idempotent by project title.
"""
import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from community.content.images import clean_image
from community.models import User

from . import services
from .models import Project, PurposeRevision

STATEMENT = "We brew better beer together: every customer is a brewer, every brewer a teacher."
STORY = """We started selling kettles to people who wanted to brew at home. What kept them
brewing was never the kettle: it was the friend who explained why a fermentation stalled,
the club that shared a recipe, the tasting night.

So this community is not our shop window. It is where home brewers **build things
together**: a harvest ale brewed in forty kitchens from the same hops, an open recipe book
anyone can cook from, the labels and the how-tos that go with them.

We host. You lead. Propose a project, join one, pledge what you can bring."""

HARVEST = {
    "title": "Harvest Ale: forty kitchens, one recipe",
    "goal": "Forty members brew the same wet-hop ale on the same weekend and compare notes.",
    "description": "Northfield Hop Farm picks its Cascade on the last weekend of September. "
                   "We ship fresh hops to every brewer who joins, brew the same recipe the "
                   "same day, and meet for a tasting a month later.\n\n"
                   "- recipe: 5.2% pale ale, wet-hopped at flameout\n"
                   "- a shared label for every bottle, chosen by vote",
    "lead": "hana",
    "needs": [("skill", "Brew-day mentors for first-timers", 6),
              ("tool", "30L kettles to lend", 4),
              ("material", "Kilos of fresh Cascade", 20)],
    "people": ["aisha", "ben", "chloe", "dev", "elena", "finn", "grace"],
    "pledges": [("ben", 0, 2), ("chloe", 0, 1), ("dev", 1, 1), ("elena", 2, 6),
                ("pablo", 2, 8)],
    "contributions": [
        ("grace", "design", "Golden field at dusk", (212, 160, 23)),
        ("finn", "design", "Forty kettles in a ring", (60, 110, 90)),
        ("aisha", "idea", "Bottle numbers by kitchen", None),
    ],
    "votes": {0: ["aisha", "ben", "chloe", "dev", "elena"], 1: ["grace", "hiro"],
              2: ["ben", "finn"]},
    "updates": ["Hops are booked: 20 kg of Cascade arrive on Friday the 26th.",
                "The label vote is closed. Thank you for 9 votes on 3 entries!"],
    "status": Project.Status.BUILDING,
}

RECIPE_BOOK = {
    "title": "The open recipe book",
    "goal": "Fifty tested recipes written by members, free for anyone to brew.",
    "description": "Every recipe in the book is brewed twice by two different members "
                   "before it goes in. Send a how-to with your grain bill, your mash and "
                   "what you would change next time.",
    "proposer": "isla",
    "approver": "marco",
    "needs": [("skill", "Recipe testers", 10), ("skill", "Proofreaders", 2)],
    "people": ["jonas", "kemi", "luca"],
    "pledges": [("jonas", 0, 1), ("kemi", 0, 2), ("luca", 1, 1)],
    "contributions": [
        ("jonas", "howto", "Session IPA in 4 hours",
         None, "1. Mash 3.2 kg pale malt at 66 °C for 60 min.\n2. Boil 45 min; 30 g "
               "Citra at 10 min.\n3. Ferment at 18 °C with US-05."),
        ("kemi", "idea", "A chapter on water for each style", None,
         "Half our stuck recipes were water problems. One page per style: which salts, how "
         "much, and why."),
    ],
    "votes": {0: ["isla", "luca", "maya"], 1: ["jonas"]},
    "updates": ["Approved! Send your first recipe as a how-to."],
}


def _label(colour) -> SimpleUploadedFile:
    image = Image.new("RGB", (600, 800), colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((100, 150, 500, 550), outline=(255, 255, 255), width=12)
    draw.rectangle((60, 620, 540, 700), fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    upload = SimpleUploadedFile("label.png", buffer.getvalue(), content_type="image/png")
    return clean_image(upload, max_side=800)


def _contributions(project, spec, people):
    made = []
    for entry in spec["contributions"]:
        author, kind, title, colour = entry[:4]
        body = entry[4] if len(entry) > 4 else ""
        made.append(services.contribution_submit(
            author=people[author], project=project, kind=kind, title=title, body=body,
            image=_label(colour) if colour else None))
    for index, voters in spec["votes"].items():
        for voter in voters:
            services.contribution_vote(voter=people[voter], contribution=made[index])
    return made


def _common(project, spec, people) -> int:
    rows = 0
    for username in spec["people"]:
        rows += services.project_join(user=people[username], project=project)
    needs = [services.need_add(actor=people[spec.get("lead") or spec["proposer"]],
                               project=project, kind=k, name=n, wanted=w)
             for k, n, w in spec["needs"]]
    for username, index, quantity in spec["pledges"]:
        services.pledge_set(user=people[username], need=needs[index], quantity=quantity)
    return rows + len(needs) + len(spec["pledges"])


def seed_projects() -> int:
    wanted = {"hana", "marco", "isla", "pablo", "hiro", "maya"} | {
        u for spec in (HARVEST, RECIPE_BOOK) for u in spec["people"]} | {
        u for spec in (HARVEST, RECIPE_BOOK) for u, *_ in spec["contributions"]}
    people = {u.username: u for u in User.objects.filter(username__in=wanted)}
    if not {"hana", "marco", "isla"} <= people.keys():
        return 0
    added = 0
    if not PurposeRevision.objects.exists():
        services.purpose_revise(editor=people["hana"], statement=STATEMENT, story=STORY,
                                note="First version")
        added += 1
    if not Project.objects.filter(title=HARVEST["title"]).exists():
        spec = HARVEST
        project = services.project_propose(
            author=people["hana"], title=spec["title"], goal=spec["goal"],
            description=spec["description"], cover=_label((180, 120, 40)))
        added += 1 + _common(project, spec, people)
        made = _contributions(project, spec, people)
        # The vote closed two days ago; the host confirmed the winner.
        Project.objects.filter(pk=project.pk).update(
            voting_closes_at=timezone.now() - timedelta(days=2))
        project.refresh_from_db()
        services.winner_confirm(actor=people["marco"], contribution=made[0])
        for body in spec["updates"]:
            services.update_post(actor=people["hana"], project=project, body=body)
        services.project_status_set(actor=people["hana"], project=project,
                                    to_status=spec["status"], note="Brew weekend is on")
        added += len(made)
    if not Project.objects.filter(title=RECIPE_BOOK["title"]).exists():
        spec = RECIPE_BOOK
        project = services.project_propose(
            author=people[spec["proposer"]], title=spec["title"], goal=spec["goal"],
            description=spec["description"])
        services.project_status_set(actor=people[spec["approver"]], project=project,
                                    to_status=Project.Status.OPEN, note="Great idea")
        project.refresh_from_db()
        added += 1 + _common(project, spec, people)
        services.voting_close_set(actor=people[spec["proposer"]], project=project,
                                  closes_at=timezone.now() + timedelta(days=14))
        made = _contributions(project, spec, people)
        for body in spec["updates"]:
            services.update_post(actor=people[spec["proposer"]], project=project, body=body)
        added += len(made)
    return added


def seed_moment_ties() -> int:
    """The demo's running moment is part of the harvest ale, tied by its host."""
    from community.models import Moment
    from community.services import moments

    from .models import ProjectMoment

    moment = Moment.objects.select_related("created_by", "thread").order_by("pk").first()
    project = Project.objects.filter(title=HARVEST["title"]).first()
    if moment is None or project is None or ProjectMoment.objects.filter(
            moment=moment).exists():
        return 0
    return int(moments.moment_tie_set(host=moment.created_by, moment=moment,
                                      tie=f"project:{project.pk}"))
