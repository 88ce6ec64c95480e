"""The inbox: a member's notices grouped, one row per thread and kind, newest first.

Answers, replies, mentions, likes, helpful votes and accepted answers on the same thread
make one row ("Ben and 2 others replied in ..."); every other notice (a welcome, a host's
decision, a project's news) is a row of its own, as each says something of its own. Five
queries per page whatever the number of notices or people: the count of rows, the page of
rows (aggregates), each row's newest notice, the people who acted in them, and those people.
"""
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Case as SqlCase
from django.db.models import (
    CharField,
    Count,
    F,
    Max,
    Q,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat

from community.engine import notifications
from community.models import Notification, User

Kind = Notification.Kind
GROUPED = (Kind.ANSWER, Kind.REPLY, Kind.MENTION, Kind.LIKE, Kind.HELPFUL, Kind.ACCEPTED)
FACES = 3  # avatars shown per row
PAGE_SIZE = 20


@dataclass
class Group:
    key: str
    latest: object  # when the newest notice came
    total: int
    unread: int
    people: int  # distinct people who acted
    posts: int  # distinct posts the notices are about
    notice: Notification | None = None  # the newest
    actors: list[User] = field(default_factory=list)  # newest first, up to FACES
    text: str = ""

    @property
    def kind(self) -> str:
        return self.notice.kind if self.notice else ""

    @property
    def more_people(self) -> int:
        return max(0, self.people - len(self.actors))


def _group_key():
    """One row per thread and kind for the kinds that group, one per notice otherwise."""
    return SqlCase(
        When(kind__in=GROUPED, thread__isnull=False,
             then=Concat(Value("t"), Cast("thread_id", CharField()), Value(":"), F("kind"))),
        default=Concat(Value("n"), Cast("pk", CharField())),
        output_field=CharField(),
    )


def _mine(user):
    return Notification.objects.filter(recipient=user, on_site=True).annotate(group=_group_key())


def inbox_groups(user, page_number) -> Page:
    """The page of ``user``'s inbox: ``Group`` rows, each with its text and faces."""
    rows = (_mine(user).order_by().values("group")
            .annotate(latest=Max("created_at"), newest=Max("pk"), total=Count("pk"),
                      unread=Count("pk", filter=Q(read_at__isnull=True)),
                      people=Count("actor", distinct=True), posts=Count("post", distinct=True))
            .order_by("-latest", "-newest"))
    page = Paginator(rows, PAGE_SIZE).get_page(page_number)
    groups = [Group(key=r["group"], latest=r["latest"], total=r["total"], unread=r["unread"],
                    people=r["people"], posts=r["posts"]) for r in page.object_list]
    if groups:
        newest = [r["newest"] for r in page.object_list]
        notices = Notification.objects.select_related("actor", "thread").in_bulk(newest)
        faces: dict[str, list[int]] = {}
        for key, actor_id, _ in (
                _mine(user).filter(group__in=[g.key for g in groups], actor__isnull=False)
                .order_by().values_list("group", "actor_id").annotate(last=Max("created_at"))
                .order_by("group", "-last")):
            if len(faces.setdefault(key, [])) < FACES:
                faces[key].append(actor_id)
        people = User.objects.in_bulk({pk for ids in faces.values() for pk in ids})
        for group, pk in zip(groups, newest, strict=True):
            group.notice = notices.get(pk)
            group.actors = [people[a] for a in faces.get(group.key, []) if a in people]
            group.text = notifications.describe_group(group.notice, actors=group.actors,
                                                      people=group.people,
                                                      total=group.total, unread=group.unread,
                                                      posts=group.posts)
    # A notice deleted with its thread between the two reads leaves no row to link to.
    page.object_list = [group for group in groups if group.notice is not None]
    return page


def group_of(notice: Notification):
    """The notices read together with ``notice`` (those of its row)."""
    mine = Notification.objects.filter(recipient_id=notice.recipient_id, read_at__isnull=True)
    if notice.kind in GROUPED and notice.thread_id:
        return mine.filter(thread_id=notice.thread_id, kind=notice.kind)
    return mine.filter(pk=notice.pk)
