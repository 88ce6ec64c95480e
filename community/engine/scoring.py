"""Stored scores: thread social scores and member help/engagement, from the facts.

One definition serves both paths. The engagement engine calls :func:`rescore_threads` and
:func:`rescore_members` with the ids an event batch touched; ``manage.py rescore`` calls them
for everything, in batches. Each call recomputes the counters of the given rows with a few
``GROUP BY`` queries over posts, votes, threads and invitations and writes them with one
statement (``UPDATE ... FROM (VALUES ...)`` on PostgreSQL, ``bulk_update`` elsewhere), so
applying an event twice, or out of order, lands on the same numbers a full rescore gives.
The formulas themselves live in :mod:`community.engine.ranking`.
"""
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db.models import Count, F, Q
from django.utils import timezone

from community import words
from community.engine import ranking
from community.models import Post, Thread, User, Vote

BATCH = 2000



def _batches(ids: list[int], size: int = BATCH) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def thread_counters(thread_ids: list[int] | None) -> dict[int, dict]:
    """Counters behind the social score of each thread in ``thread_ids`` (2 queries);
    ``None``: every thread, in one pass over posts and one over votes.

    The feed's reading of :mod:`community.words`: partners stand on the brand side, so only
    customers' posts count as members' (participants, replies, peer answers), partners'
    count with staff towards "dominated" (see ranking.py)."""
    customer, staff, partner = words.CUSTOMER_POST, words.STAFF_POST, Q(author_role=words.PARTNER)
    among = {} if thread_ids is None else {"thread_id__in": thread_ids}
    posts = Post.objects.filter(is_deleted=False, status=Post.Status.PUBLISHED, **among)
    reply_to_member = Q(kind=Post.Kind.REPLY) & customer & (
        (
            Q(parent__isnull=False)
            & words.customer_post("parent__author_role")
            & ~Q(parent__author_id=F("author_id"))
        )
        | (
            Q(parent__isnull=True)
            & Q(thread__author_is_staff=False)
            & ~Q(thread__opening_post__author_role=words.PARTNER)
            & ~Q(thread__author_id=F("author_id"))
        )
    )
    rows = posts.values("thread_id").annotate(
        total=Count("id"),
        staff=Count("id", filter=staff),
        partner=Count("id", filter=partner),
        partner_started=Count("id", filter=partner & Q(kind=Post.Kind.OPENING)),
        participants=Count("author_id", distinct=True, filter=customer),
        peer_answers=Count(
            "id",
            filter=customer & Q(kind=Post.Kind.ANSWER)
            & ~Q(author_id=F("thread__author_id")),
        ),
        member_replies=Count("id", filter=reply_to_member),
    )
    counters: dict[int, dict] = defaultdict(
        lambda: {"total": 0, "staff": 0, "partner": 0, "partner_started": 0,
                 "participants": 0, "peer_answers": 0, "member_replies": 0, "votes": 0})
    for row in rows:
        counters[row.pop("thread_id")].update(row)
    votes = (
        Vote.objects.filter(post__is_deleted=False,
                            **({} if thread_ids is None else {"post__thread_id__in": thread_ids}))
        .exclude(words.staff_person("voter"))
        .values("post__thread_id")
        .annotate(n=Count("id"))
    )
    for row in votes:
        counters[row["post__thread_id"]]["votes"] = row["n"]
    return counters


def rescore_threads(thread_ids: Iterable[int] | None = None, *, also: str = "") -> int:
    """Recompute and store the counters and social score of these threads (all if None).

    ``also``: SQL assignments written with the scores (see :func:`write_rows`)."""
    if thread_ids is None:
        ids = list(Thread.objects.order_by("pk").values_list("pk", flat=True))
        every = thread_counters(None)
    else:
        ids = sorted(set(thread_ids))
        every = None
    done = 0
    for batch in _batches(ids):
        counters = thread_counters(batch) if every is None else every
        threads = list(
            Thread.objects.filter(pk__in=batch).only("pk", "created_at", "author_is_staff")
        )
        for thread in threads:
            c = counters[thread.pk]
            thread.member_participants = c["participants"]
            thread.member_replies = c["member_replies"]
            thread.peer_answers = c["peer_answers"]
            thread.member_votes = c["votes"]
            thread.staff_posts = c["staff"]
            thread.scored_posts = c["total"]
            thread.social_score = ranking.social_score(
                created_at=thread.created_at,
                member_participants=c["participants"],
                member_replies=c["member_replies"],
                peer_answers=c["peer_answers"],
                member_votes=c["votes"],
                staff_posts=c["staff"],
                total_posts=c["total"],
                started_by_staff=thread.author_is_staff,
                partner_posts=c["partner"],
                started_by_partner=bool(c["partner_started"]),
            )
        write_rows(Thread, threads, THREAD_SCORE_FIELDS, also)
        done += len(threads)
    return done


THREAD_SCORE_FIELDS = [
    "member_participants", "member_replies", "peer_answers", "member_votes", "staff_posts",
    "scored_posts", "social_score",
]
MEMBER_SCORE_FIELDS = [
    "help_answers", "help_accepted", "help_helpful", "help_invites", "peer_help",
    "collaboration", "contribution", "engagement", "scored_at",
]
PROJECT_COUNTERS = ("joined", "pledged", "project_votes", "contributed", "won")

# Other apps count what members do with them (``purpose`` counts project work) by
# registering ``fn(user_ids | None) -> {user_id: {counter: n}}`` with PROJECT_COUNTERS keys,
# from their AppConfig.ready(); community never imports them.
_MEMBER_COUNTER_SOURCES: list = []


def register_member_counters(fn) -> None:
    if fn not in _MEMBER_COUNTER_SOURCES:
        _MEMBER_COUNTER_SOURCES.append(fn)


def member_counters(user_ids: list[int] | None) -> dict[int, dict]:
    """What each member in ``user_ids`` gave the community (5 queries); ``None``: every
    member, each query one pass over its table (a full rescore: far cheaper than batches
    of ids, each of which would reach into every table again)."""

    def among(field: str) -> dict:
        return {} if user_ids is None else {f"{field}__in": user_ids}

    counters: dict[int, dict] = defaultdict(
        lambda: {"posts": 0, "answers": 0, "accepted": 0, "helpful": 0, "invites": 0,
                 "votes": 0, **dict.fromkeys(PROJECT_COUNTERS, 0)}
    )
    live = Q(is_deleted=False, thread__is_deleted=False, status=Post.Status.PUBLISHED)
    for row in (
        Post.objects.filter(live, **among("author_id"))
        .values("author_id")
        .annotate(
            posts=Count("id"),
            # The help of words.py's advocates, as the dashboard counts it per period.
            answers=Count("id", filter=words.peer_answer()),
        )
    ):
        counters[row["author_id"]].update(posts=row["posts"], answers=row["answers"])
    for row in (
        Thread.objects.filter(words.peer_accepted(), is_deleted=False,
                              **among("accepted_answer__author_id"))
        .values("accepted_answer__author_id")
        .annotate(n=Count("id"))
    ):
        counters[row["accepted_answer__author_id"]]["accepted"] = row["n"]
    for row in (
        Vote.objects.filter(words.helpful_received(), **among("post__author_id"))
        .values("post__author_id")
        .annotate(n=Count("id"))
    ):
        counters[row["post__author_id"]]["helpful"] = row["n"]
    for row in (
        User.objects.filter(words.joined_through_invite(), **among("invited_by_id"))
        .values("invited_by_id")
        .annotate(n=Count("id"))
    ):
        counters[row["invited_by_id"]]["invites"] = row["n"]
    for row in Vote.objects.filter(voter__isnull=False, **among("voter_id")).values(
            "voter_id").annotate(
        n=Count("id")
    ):
        counters[row["voter_id"]]["votes"] = row["n"]
    for source in _MEMBER_COUNTER_SOURCES:
        for user_id, extra in source(user_ids).items():
            counters[user_id].update(extra)
    return counters


def write_rows(model, objects: list, fields: list[str], also: str = "") -> None:
    """Store ``fields`` of ``objects`` in one statement.

    Django's ``bulk_update`` builds a ``CASE WHEN`` per row and field, which costs more
    Python time than the database spends; on PostgreSQL the rows go in as one ``VALUES``
    list joined on the primary key. ``also``: more ``column = SQL`` assignments for the
    same statement (PostgreSQL only; the row is rewritten once instead of twice)."""
    from django.db import connection

    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_update(objects, fields, batch_size=BATCH)
        return
    from psycopg2.extras import execute_values

    meta = model._meta
    columns = [meta.get_field(f) for f in fields]
    casts = ", ".join([f'{c.column} = v.{c.column}' for c in columns] + ([also] if also else []))
    types = [c.db_type(connection) for c in columns]
    template = "(%s::bigint, " + ", ".join(f"%s::{t}" for t in types) + ")"
    names = ", ".join(["id"] + [c.column for c in columns])
    # Table and column names come from the model, never from input.
    sql = (f"UPDATE {meta.db_table} AS t SET {casts} FROM (VALUES %s) AS v ({names}) "  # noqa: S608  # nosec B608
           f"WHERE t.{meta.pk.column} = v.id")
    rows = [[obj.pk] + [c.get_db_prep_save(getattr(obj, c.attname), connection)
                        for c in columns] for obj in objects]
    with connection.cursor() as cursor:
        execute_values(cursor.cursor, sql, rows, template=template, page_size=BATCH)


def rescore_members(user_ids: Iterable[int] | None = None) -> int:
    """Recompute and store members' help and engagement scores (all members if None)."""
    if user_ids is None:
        ids = list(User.objects.order_by("pk").values_list("pk", flat=True))
        every = member_counters(None)
    else:
        ids = sorted({pk for pk in user_ids if pk})
        every = None
    now = timezone.now()
    done = 0
    for batch in _batches(ids):
        counters = member_counters(batch) if every is None else every
        users = list(User.objects.filter(pk__in=batch).only("pk"))
        for user in users:
            c = counters[user.pk]
            user.help_answers = c["answers"]
            user.help_accepted = c["accepted"]
            user.help_helpful = c["helpful"]
            user.help_invites = c["invites"]
            user.peer_help = ranking.peer_help(
                peer_answers=c["answers"], accepted_answers=c["accepted"],
                helpful_received=c["helpful"], invites_joined=c["invites"],
            )
            user.collaboration = ranking.collaboration(
                joined=c["joined"], pledged=c["pledged"], voted=c["project_votes"])
            user.contribution = ranking.contribution(contributed=c["contributed"],
                                                     won=c["won"])
            user.engagement = ranking.engagement(
                posts=c["posts"], votes_cast=c["votes"], help=user.peer_help,
                collaboration=user.collaboration, contribution=user.contribution,
            )
            user.scored_at = now
        write_rows(User, users, MEMBER_SCORE_FIELDS)
        done += len(users)
    return done
