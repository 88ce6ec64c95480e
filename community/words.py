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
"""
from django.db.models import F, Q

from community import permissions
from community.models import Post

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
