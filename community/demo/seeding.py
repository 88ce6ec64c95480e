"""Steps of ``manage.py seed_demo``. Other apps add their own with :func:`register`.

Every step is idempotent: it looks up what it would create by a natural key (username,
space name, thread title) and returns how many rows it added, so a second run adds nothing.
"""
import functools
import random
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlparse

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.sites.models import Site
from django.utils import timezone
from django.utils.text import slugify

from community.demo import data
from community.models import Invitation, Post, Space, Tag, Thread, User, Vote
from community.services import conversations


@dataclass(frozen=True)
class Step:
    name: str
    order: int
    run: object  # () -> int, rows created


_STEPS: dict[str, Step] = {}


def register(name: str, order: int, run) -> None:
    _STEPS[name] = Step(name=name, order=order, run=run)


def steps() -> list[Step]:
    return sorted(_STEPS.values(), key=lambda s: s.order)


def demo_handle(full_name: str) -> str:
    first = full_name.split()[0]
    return slugify(first).replace("-", "_")[:30]


@functools.cache
def _demo_password_hash() -> str:
    return make_password(data.DEMO_PASSWORD)  # hashed once: 40 members in a second, not ten


def _user(username: str, display_name: str, **extra) -> tuple[User, bool]:
    email = f"{username}@demo.gravity.test"
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "display_name": display_name,
            "email": email,
            "password": _demo_password_hash(),
            "onboarded_at": timezone.now(),  # established members: no first-visit welcome
            **extra,
        },
    )
    if created:
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    return user, created


def seed_site() -> int:
    domain = urlparse(settings.SITE_URL).netloc or "127.0.0.1:8000"
    site, _ = Site.objects.get_or_create(pk=settings.SITE_ID)
    changed = (site.domain, site.name) != (domain, settings.SITE_NAME)
    site.domain, site.name = domain, settings.SITE_NAME
    site.save()
    return int(changed)


def seed_people() -> int:
    rng = random.Random(7)
    created = 0
    _, new = _user("admin", "Site admin", is_staff=True, is_superuser=True)
    created += new
    for username, name, bio in data.HOSTS:
        _, new = _user(username, name, is_host=True, bio=bio)
        created += new
    members = []
    for i, name in enumerate(data.MEMBER_NAMES):
        user, new = _user(
            demo_handle(name),
            name,
            trust_level=User.Trust.NEW if i % 9 == 8 else User.Trust.MEMBER,
            products=", ".join(rng.sample(data.PRODUCTS, k=rng.randint(1, 3))),
            interests=", ".join(rng.sample(data.INTERESTS, k=rng.randint(1, 3))),
        )
        created += new
        if new:  # members of long standing; their friends (below) joined recently
            User.objects.filter(pk=user.pk).update(
                date_joined=timezone.now() - timedelta(days=rng.randint(40, 700)))
        members.append(user)
    # A few members brought friends: who invited whom feeds invitation growth.
    for inviter, invitees in ((members[0], members[30:34]), (members[6], members[34:37])):
        for friend in invitees:
            if friend.invited_by_id is None:
                invitation = Invitation.objects.create(
                    inviter=inviter, kind=Invitation.Kind.EMAIL, email=friend.email,
                    accepted_at=timezone.now(), emailed_at=timezone.now(),
                )
                friend.invited_by, friend.invitation = inviter, invitation
                friend.date_joined = timezone.now() - timedelta(days=rng.randint(3, 25))
                friend.save(update_fields=["invited_by", "invitation", "date_joined"])
                created += 1
    return created


def seed_spaces() -> int:
    created = 0
    for name, description, position in data.SPACES:
        _, new = Space.objects.get_or_create(
            name=name, defaults={"description": description, "position": position}
        )
        created += new
    return created


def seed_threads() -> int:
    rng = random.Random(11)
    spaces = list(Space.objects.filter(name__in=[s[0] for s in data.SPACES]).order_by("position"))
    users = {u.username: u for u in User.objects.filter(email__endswith="@demo.gravity.test")}
    voters = [u for u in users.values() if not u.is_host and not u.is_superuser]
    existing = set(Thread.objects.values_list("title", flat=True))
    now = timezone.now()
    created = 0
    for i, (space_i, kind, author, title, body, tags, replies) in enumerate(data.THREADS):
        if title in existing:
            continue
        # Eight hours apart: how lively a thread is, not only how new, decides its place.
        started = now - timedelta(hours=8 * (len(data.THREADS) - i) + rng.randint(0, 4))
        thread = conversations.thread_create(
            author=users[author], space=spaces[space_i], kind=kind, title=title, body=body,
            tags=tags, created_at=started,
        )
        created += 1
        answers = []
        for n, (replier, text, reply_kind) in enumerate(replies, start=1):
            parent = None
            if reply_kind == "reply" and thread.is_question and answers:
                parent = answers[0]
            post = conversations.post_create(
                author=users[replier], thread=thread, body=text, parent=parent,
                created_at=started + timedelta(hours=3 * n + rng.randint(0, 2)),
            )
            if post.kind == Post.Kind.ANSWER:
                answers.append(post)
                for voter in rng.sample(voters, k=rng.randint(0, 4)):
                    if voter.pk not in (post.author_id, thread.author_id):
                        conversations.vote_cast(voter=voter, post=post, kind=Vote.Kind.HELPFUL)
            if reply_kind == "accepted":
                conversations.answer_accept(actor=users[author], answer=post)
        for voter in rng.sample(voters, k=rng.randint(0, 6)):
            if voter.pk != thread.author_id:
                conversations.vote_cast(
                    voter=voter, post=thread.opening_post, kind=Vote.Kind.LIKE
                )
    for name, description in data.TAG_DESCRIPTIONS.items():  # a staff edit is kept
        Tag.objects.filter(name=name, description="").update(description=description)
    return created


def seed_hosting() -> int:
    """Work waiting for the hosts: newcomers to welcome and a flagged advert to review."""
    from community.models import Flag
    from community.services import moderation

    created = 0
    for name, days, products, interests in data.NEWCOMERS:
        user, new = _user(demo_handle(name), name, trust_level=User.Trust.NEW,
                          products=products, interests=interests)
        if new:
            User.objects.filter(pk=user.pk).update(
                date_joined=timezone.now() - timedelta(days=days))
            created += 1
    name, handle = data.SPAM["author"]
    spammer, _ = _user(handle, name, trust_level=User.Trust.NEW)
    thread = Thread.objects.filter(title=data.SPAM["thread"]).first()
    if thread is None or Post.objects.filter(author=spammer).exists():
        return created
    post = conversations.post_create(author=spammer, thread=thread, body=data.SPAM["body"],
                                     created_at=timezone.now() - timedelta(hours=2))
    for handle in data.SPAM["flaggers"]:
        flagger = User.objects.get(username=handle)
        if not Flag.objects.filter(post=post, flagger=flagger).exists():
            moderation.flag_create(flagger=flagger, post=post, reason=Flag.Reason.SPAM)
    return created + 1


def seed_collections() -> int:
    """Members' public collections, one featured by a host, made through the services."""
    from community.models import Collection
    from community.services import collections

    host = User.objects.filter(username=data.HOSTS[0][0]).first()
    created = 0
    for owner_name, title, description, featured, entries in data.COLLECTIONS:
        owner = User.objects.filter(username=owner_name).first()
        if owner is None or Collection.objects.filter(owner=owner, title=title).exists():
            continue
        collection = collections.collection_create(owner=owner, title=title,
                                                   description=description)
        created += 1
        for entry in entries:
            answers = entry.startswith("answers:")
            thread_title = entry.removeprefix("answers:")
            thread = Thread.objects.filter(title=thread_title).first()
            if thread is None:
                continue
            answer = (thread.posts.filter(kind=Post.Kind.ANSWER, is_deleted=False,
                                          status=Post.Status.PUBLISHED).order_by("pk").first()
                      if answers else None)
            if answers and answer is None:
                continue
            collections.collection_item_add(actor=owner, collection=collection,
                                            **({"post": answer} if answer else {"thread": thread}))
        if featured and host is not None:
            collections.collection_feature_set(actor=host, collection=collection,
                                               featured=True)
    return created


def seed_moments() -> int:
    """A running moment with drawn photos and a story, two entries featured by a host and
    replies between members, made through the services (photos cleaned like any upload)."""
    from community.demo import photos
    from community.models import Moment
    from community.services import moments

    spec = data.MOMENT
    host = User.objects.filter(username=spec["host"]).first()
    space = Space.objects.filter(name=spec["space"]).first()
    if host is None or space is None or Moment.objects.filter(title=spec["title"]).exists():
        return 0
    now = timezone.now()
    scene, cover_alt = spec["cover"]
    moment = moments.moment_create(
        host=host, space=space, title=spec["title"], brief=spec["brief"],
        opens_at=now - timedelta(days=3), closes_at=now + timedelta(days=11),
        answer=Moment.Answer.BOTH, cover_upload=photos.photo(scene), cover_alt=cover_alt)
    entries = []
    for n, (handle, scene, alt, text, featured) in enumerate(spec["entries"]):
        author = User.objects.filter(username=handle).first()
        if author is None:
            continue
        entry = moments.entry_create(
            author=author, moment=moment, text=text, alt_text=alt or "",
            photo=photos.photo(scene, n) if scene else None,
            created_at=now - timedelta(days=2, hours=-6 * n))
        entries.append(entry)
        if featured:
            moments.entry_feature_set(host=host, entry=entry, featured=True)
    for n, (handle, index, body) in enumerate(spec["replies"]):
        author = User.objects.filter(username=handle).first()
        if author is not None and index < len(entries):
            conversations.post_create(author=author, thread=moment.thread, body=body,
                                      parent=entries[index].post,
                                      created_at=now - timedelta(days=1, hours=-2 * n))
    return 1 + len(entries)


def seed_catalogue() -> int:
    """The shop's products (a kettle with its accessories, a fermenter, a starter kit) with
    drawn photos, and questions asked from their pages, made through the services."""
    from community.commerce import catalogue, ownership
    from community.demo import photos
    from community.models import Ownership, Product

    spec = data.CATALOGUE
    host = User.objects.filter(username=spec["host"]).first()
    if host is None:
        return 0
    created = 0
    for sku, name, line, description, space, tag, scene, alt, parent in spec["products"]:
        if Product.objects.filter(sku=sku).exists():
            continue
        product = catalogue.product_create(
            host=host, sku=sku, name=name, line=line, description=description,
            shop_url=f"{spec['shop']}{sku.lower()}",
            parent=Product.objects.filter(sku=parent).first() if parent else None,
            space=Space.objects.filter(name=space).first(),
            tag=conversations.tags_resolve([tag])[0] if tag else None)
        if scene:
            catalogue.product_image_add(host=host, product=product, upload=photos.photo(scene),
                                        alt_text=alt)
        created += 1
    users = {u.username: u for u in User.objects.filter(email__endswith="@demo.gravity.test")}
    now = timezone.now()
    # Owners before the questions, so their answers carry the owner's badge.
    for member, sku, days in spec["owners"]:
        product = Product.objects.filter(sku=sku).first()
        if product is None or member not in users:
            continue
        if days is None:
            ownership.ownership_declare(member=users[member], product=product)
        else:
            ownership.ownership_verify(member=users[member], product=product,
                                       source=Ownership.Source.ORDER,
                                       purchased_on=(now - timedelta(days=days)).date(),
                                       order_ref=f"DEMO-{sku}-{member}")
    for n, (asker, sku, title, body, answers) in enumerate(spec["questions"]):
        product = Product.objects.filter(sku=sku).first()
        if product is None or asker not in users or Thread.objects.filter(title=title).exists():
            continue
        asked = now - timedelta(days=2 - n, hours=5)
        thread = conversations.thread_create(
            author=users[asker], space=product.space, kind=Thread.Kind.QUESTION, title=title,
            body=body, created_at=asked, product=product)
        for m, (author, text) in enumerate(answers, start=1):
            conversations.post_create(author=users[author], thread=thread, body=text,
                                      created_at=asked + timedelta(hours=2 * m))
        created += 1
    return created


def seed_scores() -> int:
    """Apply the demo's engagement events now: scores, ranking and routing are ready."""
    from community.engine import engagement

    engagement.process_pending(max_batches=1000)
    return 0


def seed_initiatives() -> int:
    """The brand's initiatives on the strategy page: the moment, the newest announcement and
    a project (when ``purpose`` registers its link kind), each placed by the host, made
    through the services."""
    from community.host.strategy import links, services
    from community.models import Initiative, Moment

    host = User.objects.filter(username=data.MOMENT["host"]).first()
    if host is None or Initiative.objects.exists():
        return 0
    today = timezone.now().date()
    days = {"starts_on": today - timedelta(days=13), "ends_on": today}
    made = 0
    moment = Moment.objects.order_by("-opens_at").first()
    if moment is not None:
        services.initiative_create(host=host, name="Brew day photo moment", owner="Community team",
                                   channel="community", placed=5, moment=moment, **days)
        made += 1
    announcement = (Thread.objects.filter(kind=Thread.Kind.ANNOUNCEMENT, is_deleted=False)
                    .exclude(moment__isnull=False).order_by("-created_at").first())
    if announcement is not None:
        services.initiative_create(host=host, name="Launch newsletter", owner="Email team",
                                   channel="email", placed=3, thread=announcement, **days)
        made += 1
    project = links.get("project")
    chosen = project.choices()[:1] if project else []
    if chosen:
        services.initiative_create(host=host, name="Community recipe project",
                                   owner="Brand team", channel="community", placed=4,
                                   link_kind="project", link_id=chosen[0][0], **days)
        made += 1
    return made


register("site", 0, seed_site)
register("people", 10, seed_people)
register("spaces", 20, seed_spaces)
register("threads", 50, seed_threads)
register("hosting", 60, seed_hosting)
register("collections", 70, seed_collections)
register("moments", 75, seed_moments)
register("catalogue", 80, seed_catalogue)
register("initiatives", 85, seed_initiatives)  # after the projects (purpose's, at 80)
register("scores", 90, seed_scores)


def _seed_shop_widget() -> int:
    from community.demo.shop import seed_shop_widget

    return seed_shop_widget()


register("shop widget", 95, _seed_shop_widget)
