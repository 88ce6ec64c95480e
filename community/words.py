"""Who is who in the figures: *member*, *staff*, *partner*, *brand side*, *brand-dominated*.

ARCHITECTURE.md ("Words defined once") defines these words here, once; the dashboard, the
feed's order, ranking, routing and the partners' insights import them and each says which
reading it uses.

A post's side is its ``Post.author_role``, fixed when it is written (:func:`role_of`):

- ``staff``: written as a staff host (brand staff; admins host too);
- ``partner``: written by a member of a verified partner organisation;
- ``member``: everyone else (customers, unclaimed imported accounts, former members).

Two readings, each a set of query expressions:

- **The dashboard** (community health, ``community.host.dashboard``): *staff* posts against
  *member* posts, and partners are members (:data:`STAFF_POST`, :data:`MEMBER_POST`).
  Routing reads it too: a partner who knows the answer may be asked.
- **The feed and ranking** (social score, ``community.engine.scoring``; partners' insights):
  partners are the brand's guests, so they stand on the *brand side* with staff, and only
  *customers* count as the members who talk to each other (:data:`BRAND_SIDE_POST`,
  :data:`CUSTOMER_POST`).

**Brand-dominated**: a thread with at least :data:`DOMINATED_MIN_POSTS` posts of which the
brand wrote more than half (:func:`brand_dominated`, :func:`brand_dominated_q`). Who "the
brand" is follows the reading: staff on the dashboard, the brand side in the feed. On a
thread without partner posts both readings agree.

People (not posts) are staff when they host: :func:`staff_person` in queries,
``permissions.is_staff_host`` for a user object.

**Advocates** (help given to other members; the dashboard's "in this period" list and the
Advocates page's stored scores both count with these, so they agree): an *advocate* is an
active person who is neither staff nor a former member (:func:`advocate`; unclaimed imported
members are advocates); the help is their *peer answers* (answers written as a member to
somebody else's question, :func:`peer_answer`), those of them that were accepted
(:func:`peer_accepted`), *helpful votes received* on their member posts from anyone but
themselves (:func:`helpful_received`) and members who *joined through their invitation*
(:func:`joined_through_invite`).
"""
from django.db.models import F, Q

from community import permissions
from community.models import Post, Vote

STAFF = Post.Role.STAFF
PARTNER = Post.Role.PARTNER
MEMBER = Post.Role.MEMBER

#: The feed's and ranking's brand side: staff and partners.
BRAND_SIDE_ROLES = frozenset({STAFF, PARTNER})

DOMINATED_MIN_POSTS = 3


def role_of(user) -> str:
    """The role a post by ``user`` is written with (stored in ``Post.author_role``)."""
    if permissions.is_staff_host(user):
        return STAFF
    if permissions.is_partner(user):
        return PARTNER
    return MEMBER


# Query expressions over posts; ``field`` names the role column from the queried model
# (``"posts__author_role"`` from threads, ``"post__author_role"`` from votes, ...).

def staff_post(field: str = "author_role") -> Q:
    """Dashboard: a post written as a staff host."""
    return Q(**{field: STAFF})


def member_post(field: str = "author_role") -> Q:
    """Dashboard: every post that is not staff's; partners are members."""
    return ~staff_post(field)


def brand_side_post(field: str = "author_role") -> Q:
    """Feed and ranking: a post by staff or a partner."""
    return Q(**{f"{field}__in": sorted(BRAND_SIDE_ROLES)})


def customer_post(field: str = "author_role") -> Q:
    """Feed and ranking: a post by a member who is neither staff nor a partner."""
    return Q(**{field: MEMBER})


STAFF_POST = staff_post()
MEMBER_POST = member_post()
BRAND_SIDE_POST = brand_side_post()
CUSTOMER_POST = customer_post()


def brand_dominated(*, brand_posts: int, total_posts: int) -> bool:
    """At least 3 posts, of which the brand (staff, or the brand side) wrote more than half."""
    return total_posts >= DOMINATED_MIN_POSTS and brand_posts * 2 > total_posts


def brand_dominated_q(*, brand: str, total: str) -> Q:
    """:func:`brand_dominated` over two annotations (counts of the brand's and all posts)."""
    return Q(**{f"{total}__gte": DOMINATED_MIN_POSTS, f"{brand}__gt": F(total) / 2.0})


def staff_person(field: str = "") -> Q:
    """A staff person in a query (``field``: the path to the user, e.g. ``"voter"``)."""
    prefix = f"{field}__" if field else ""
    return Q(**{f"{prefix}is_host": True}) | Q(**{f"{prefix}is_superuser": True})


def _prefix(field: str) -> str:
    return f"{field}__" if field else ""


def advocate(field: str = "") -> Q:
    """A person who can be an advocate (``field``: the path to the user, e.g. ``"author"``):
    active, not staff, not a former member (the shared account or an import's placeholder
    for a deleted author). Unclaimed imported members are advocates."""
    p = _prefix(field)
    return Q(**{f"{p}is_active": True, f"{p}is_former_member": False}) & ~staff_person(field)


def peer_answer(field: str = "") -> Q:
    """A post (``field``: the path to it) that is an answer written as a member to somebody
    else's question."""
    p = _prefix(field)
    return (Q(**{f"{p}kind": Post.Kind.ANSWER}) & member_post(f"{p}author_role")
            & ~Q(**{f"{p}thread__author_id": F(f"{p}author_id")}))


def peer_accepted(field: str = "accepted_answer") -> Q:
    """A thread whose accepted answer (``field``) is a peer answer."""
    p = _prefix(field)
    return (Q(**{f"{p}isnull": False, f"{p}is_deleted": False})
            & member_post(f"{p}author_role") & ~Q(**{f"{p}author_id": F("author_id")}))


def helpful_received() -> Q:
    """A vote that is a helpful vote on a member's post, cast by somebody else (imported
    votes have no voter and count)."""
    return (Q(kind=Vote.Kind.HELPFUL, post__is_deleted=False)
            & member_post("post__author_role") & ~Q(voter_id=F("post__author_id")))


def joined_through_invite() -> Q:
    """A user (still active) who joined through somebody's invitation."""
    return Q(is_active=True, invited_by__isnull=False)
