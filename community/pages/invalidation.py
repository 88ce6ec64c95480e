"""What each event makes stale: the one table of the speed layer's contract.

Every write that changes what a page shows records an ``EngagementEvent``
(``services.events.event_record``); :data:`STALE` maps each event kind to the cache tags
the fact changes, computed from the event's own fields, and :func:`pages_change` is the
one place that bumps them (``versions``: at once and again after commit). Community's rows
are below; ``purpose`` and ``partners`` add theirs with :func:`extend` from their
``AppConfig.ready()``, so it stays one table with one lookup. A registered kind with no row
fails ``manage.py check`` (:func:`check_complete`), so a new kind cannot ship without saying
what it makes stale; ``tests/community/test_invalidation.py`` renders the pages of every row.

The tags, and the pages that depend on them:

- ``thread:<id>``: the thread's pages (header, cards, partner credit, remembered pages).
- ``member:<handle>``: a profile (given here as user ids, looked up once per bump).
- ``feed``: every list of threads (home, spaces, search, their fragments).
- ``site``: what every page shows (people's names and pictures, spaces, the purpose).
- ``catalogue``: the product list and every product's page (a product's name shows on its
  family's pages); ``product:<id>``: one product's page (its owners, the questions
  about it, its offers).
- ``project:<id>`` and ``organisation:<id>``: a project's and a partner organisation's
  pages, which no shared cache holds yet; naming them keeps a pledge or a vote for a
  contribution from flushing the thread lists.

Rows are as narrow as the fact: a vote changes a thread and two people, not the feed (the
engine bumps the feed itself when new scores reorder it, ``engagement._apply``); a pledge
or a follow of a project touches the project only.
"""
from dataclasses import dataclass, field

from django.core import checks

from community.engine.events import registered_kinds
from community.models import EngagementEvent

from .versions import invalidate_with_commit

Kind = EngagementEvent.Kind  # community's own kinds

FEED, SITE, CATALOGUE = "feed", "site", "catalogue"
#: The host dashboard's figures: counted from nearly every fact (posts, votes, invitations,
#: members, moderation, projects, products), so every event makes them stale.
HEALTH = "health"


@dataclass
class Stale:
    tags: set[str] = field(default_factory=set)
    user_ids: set[int] = field(default_factory=set)


def _threads(event) -> set[str]:
    ids = {event.thread_id, *(event.payload or {}).get("threads", [])}
    return {f"thread:{pk}" for pk in ids if pk}


def _people(event) -> set[int]:
    return {pk for pk in (event.actor_id, event.subject_user_id,
                          *(event.payload or {}).get("members", [])) if pk}


def _project(event) -> set[str]:
    pk = (event.payload or {}).get("project")
    return {f"project:{pk}"} if pk else set()


def _organisation(event) -> set[str]:
    pk = (event.payload or {}).get("organisation")
    return {f"organisation:{pk}"} if pk else set()


def _products(event) -> set[str]:
    payload = event.payload or {}
    ids = {payload.get("product"), *(payload.get("products") or [])}
    return {f"product:{pk}" for pk in ids if pk}


def row(*, thread=False, people=True, feed=False, site=False, project=False,
        organisation=False, product=False, catalogue=False):
    """A row of the table: which kinds of tags the event's fields name."""
    def stale(event) -> Stale:
        tags = set()
        if thread:
            tags |= _threads(event)
        if project:
            tags |= _project(event)
        if organisation:
            tags |= _organisation(event)
        if product:
            tags |= _products(event)
        tags |= {CATALOGUE} if catalogue else set()
        tags |= {FEED} if feed else set()
        tags |= {SITE} if site else set()
        return Stale(tags=tags, user_ids=_people(event) if people else set())

    stale.shape = dict(thread=thread, people=people, feed=feed, site=site, project=project,
                       organisation=organisation, product=product, catalogue=catalogue)
    return stale


STALE = {
    # People
    Kind.MEMBER_JOINED: row(feed=True),  # the home page's newest members
    Kind.MEMBER_CLAIMED: row(site=True),  # their name and "unclaimed" on every post
    Kind.INVITE_SENT: row(),
    Kind.INVITE_JOINED: row(),
    Kind.PROFILE_UPDATED: row(site=True),  # their name and picture on every page
    Kind.ACCOUNT_DELETED: row(site=True, thread=True),
    Kind.MEMBER_SUSPENDED: row(),
    Kind.MEMBER_UNSUSPENDED: row(),
    # Conversation
    Kind.THREAD_CREATED: row(thread=True, feed=True),
    Kind.POST_CREATED: row(thread=True, feed=True),  # counts and last activity in lists
    Kind.POST_EDITED: row(thread=True, feed=True),  # list excerpts; search reads every post
    Kind.POST_DELETED: row(thread=True, feed=True),
    Kind.POST_APPROVED: row(thread=True, feed=True),
    Kind.POST_HIDDEN: row(thread=True, feed=True),
    Kind.THREAD_MODERATED: row(thread=True, feed=True),  # moved, merged, pinned, tagged
    Kind.ANSWER_ACCEPTED: row(thread=True, feed=True),  # "solved" in the lists
    Kind.ANSWER_UNACCEPTED: row(thread=True, feed=True),
    Kind.VOTE_CAST: row(thread=True),
    Kind.VOTE_WITHDRAWN: row(thread=True),
    # The follower's own button and home page ("For you", under their member tag); a
    # project's count.
    Kind.FOLLOWED: row(project=True),
    # Only the chooser's own thread pages change, and their bodies are kept under a key
    # that names the order (``bodies.render_body``): nothing shared goes stale.
    Kind.ANSWER_ORDER_CHOSEN: row(people=False),
    # Which notices a member gets: their settings page and inbox are never kept, and the
    # header's bell is rendered by its unread count, which a choice does not change.
    Kind.NOTICE_SETTINGS_CHANGED: row(people=False),
    # A level of a space changes the member's own home page ("For you" lists the spaces
    # they follow), kept under their member tag; a thread's level shows only in the
    # member's own thread body, kept under a key that names the level (``bodies``).
    Kind.NOTICE_LEVEL_SET: row(),
    # A pause shows in the member's own header and settings, which are never kept.
    Kind.NOTICES_PAUSED: row(people=False),
    Kind.NOTICES_RESUMED: row(people=False),
    # The member's own home page (its welcome link), kept under their member tag.
    Kind.WELCOME_DONE: row(),
    # Curation: the owner's profile lists their public collections (the Collections tab);
    # collection pages themselves are not kept. A host featuring one names the owner.
    Kind.COLLECTION_CREATED: row(),
    Kind.COLLECTION_EDITED: row(),
    Kind.COLLECTION_ITEM_ADDED: row(),  # the item count on the owner's tab
    Kind.COLLECTION_ITEM_REMOVED: row(),
    Kind.COLLECTION_REORDERED: row(people=False),  # nothing kept shows the order
    Kind.COLLECTION_FEATURED: row(),
    # Moments: their pages show under their thread's tag; starting or closing one changes
    # the thread lists (its thread); a featured entry shows on the home page's
    # "From the community" strip, kept with the feed.
    Kind.MOMENT_CREATED: row(thread=True, feed=True),
    Kind.MOMENT_EDITED: row(thread=True, feed=True),
    Kind.MOMENT_ENTRY_FEATURED: row(thread=True, feed=True),
    # Listening: a host's decision on a human-touch post shows on the host's listening
    # pages only, which are never kept.
    Kind.TOUCH_DECIDED: row(people=False),
    # Ownership: the owner's profile (their products), the product's page (its owners), and
    # the threads about the product where they answered (the owner badge on those answers).
    Kind.OWNERSHIP_DECLARED: row(thread=True, product=True),
    Kind.OWNERSHIP_VERIFIED: row(thread=True, product=True),
    Kind.OWNERSHIP_REMOVED: row(thread=True, product=True),
    # A purchase waiting for its address's account shows nowhere.
    Kind.OWNERSHIP_PENDING: row(people=False),
    # The catalogue: the product list and the product pages (a product's name and picture
    # show on its family's pages, so an edit reaches them all: edits are rare). No thread
    # list shows a product.
    Kind.PRODUCT_CREATED: row(people=False, catalogue=True),
    Kind.PRODUCT_EDITED: row(people=False, catalogue=True),
    Kind.PRODUCTS_IMPORTED: row(people=False, catalogue=True),
    # Initiatives show on host pages only (strategy, worksheet), which are never kept.
    Kind.INITIATIVE_SAVED: row(people=False),
    # A flag shows on the hosts' review queue only, never kept; the hiding it may cause is
    # its own event (post_hidden).
    Kind.FLAG_RAISED: row(people=False),
    # Webhook endpoints show on the admins' webhook pages only, which are never kept.
    Kind.WEBHOOK_SAVED: row(people=False),
    Kind.WEBHOOK_PINGED: row(people=False),
    # Tokens show on their member's settings page only, which is never kept.
    Kind.TOKEN_CREATED: row(people=False),
    Kind.TOKEN_REVOKED: row(people=False),
    # Third-party apps show on the admins' apps pages and their members' settings page,
    # none of which is kept.
    Kind.APP_SAVED: row(people=False),
    Kind.APP_AUTHORISED: row(people=False),
    Kind.APP_REVOKED: row(people=False),
    # Replies by email: the post itself records ``post_created`` (its thread, the lists);
    # what a mail became shows on no page.
    Kind.MAIL_POSTED: row(people=False),
    Kind.MAIL_REFUSED: row(people=False),
    # A member's push devices show on their own settings page only, which is never kept.
    Kind.PUSH_SUBSCRIBED: row(people=False),
    Kind.PUSH_REMOVED: row(people=False),
}


def extend(rows: dict) -> None:
    """Add another app's rows (``purpose`` and ``partners``, from their ``AppConfig.ready()``)
    to the one table; a kind that already has a row is refused, so no app can widen or
    narrow what another's kind makes stale."""
    taken = sorted(str(kind) for kind in set(rows) & set(STALE))
    if taken:
        raise ValueError(f"community.pages.invalidation.STALE already has rows for {taken}")
    STALE.update(rows)


def missing_rows(table=None) -> list[str]:
    """The registered event kinds ``table`` (the table itself by default) has no row for."""
    return sorted(set(registered_kinds()) - set(STALE if table is None else table))


def check_complete(app_configs=None, **kwargs) -> list[checks.Error]:
    """Every registered event kind has a row: a new kind must say what it makes stale. A
    system check (``manage.py check``, which ``make test`` runs), not a check at import:
    the other apps' kinds and rows arrive in their ``ready()``, after this module loads."""
    return [checks.Error(
        f"The event kind {kind!r} has no row in community.pages.invalidation.STALE.",
        hint="Say what the kind makes stale: add its row to STALE, or from its app's "
             "AppConfig.ready() with invalidation.extend({...}).",
        obj="community.pages.invalidation.STALE", id="community.E001",
    ) for kind in missing_rows()]


def stale(event) -> Stale:
    return STALE[event.kind](event)


def pages_change(event) -> None:
    """The cached pages and fragments ``event`` makes stale are rendered again: at once
    (this transaction's own reads) and after commit (``versions.invalidate``)."""
    found = stale(event)
    invalidate_with_commit(*found.tags, HEALTH, user_ids=found.user_ids)
