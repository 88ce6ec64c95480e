"""What each event makes stale: the one table of the speed layer's contract.

Every write that changes what a page shows records an ``EngagementEvent``
(``services.events.event_record``); :data:`STALE` maps each event kind to the cache tags
the fact changes, computed from the event's own fields, and :func:`pages_change` is the
one place that bumps them (``versions``: at once and again after commit). A
kind with no row raises at import, so a new kind cannot ship without saying what it makes
stale; ``tests/community/test_invalidation.py`` renders the pages of every row.

The tags, and the pages that depend on them:

- ``thread:<id>``: the thread's pages (header, cards, partner credit, remembered pages).
- ``member:<handle>``: a profile (given here as user ids, looked up once per bump).
- ``feed``: every list of threads (home, spaces, search, their fragments).
- ``site``: what every page shows (people's names and pictures, spaces, the purpose).
- ``project:<id>`` and ``organisation:<id>``: a project's and a partner organisation's
  pages, which no shared cache holds yet; naming them keeps a pledge or a vote for a
  contribution from flushing the thread lists.

Rows are as narrow as the fact: a vote changes a thread and two people, not the feed (the
engine bumps the feed itself when new scores reorder it, ``engagement._apply``); a pledge
or a follow of a project touches the project only.
"""
from dataclasses import dataclass, field

from community.models import EngagementEvent

from .versions import invalidate_with_commit

Kind = EngagementEvent.Kind

FEED, SITE = "feed", "site"


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


def row(*, thread=False, people=True, feed=False, site=False, project=False,
        organisation=False):
    """A row of the table: which kinds of tags the event's fields name."""
    def stale(event) -> Stale:
        tags = set()
        if thread:
            tags |= _threads(event)
        if project:
            tags |= _project(event)
        if organisation:
            tags |= _organisation(event)
        tags |= {FEED} if feed else set()
        tags |= {SITE} if site else set()
        return Stale(tags=tags, user_ids=_people(event) if people else set())

    stale.shape = dict(thread=thread, people=people, feed=feed, site=site, project=project,
                       organisation=organisation)
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
    Kind.FOLLOWED: row(project=True),  # the follower's own button; a project's count
    # Shared purpose
    Kind.PURPOSE_REVISED: row(site=True),  # the home page shows the statement
    Kind.PROJECT_PROPOSED: row(project=True),
    Kind.PROJECT_EDITED: row(project=True),
    Kind.PROJECT_STATUS: row(project=True),
    Kind.PROJECT_JOINED: row(project=True),
    Kind.PROJECT_LEFT: row(project=True),
    Kind.PLEDGED: row(project=True),
    Kind.PLEDGE_WITHDRAWN: row(project=True),
    Kind.PROJECT_UPDATE: row(project=True),
    Kind.CONTRIBUTED: row(project=True),
    Kind.CONTRIBUTION_EDITED: row(project=True),
    Kind.CONTRIBUTION_VOTED: row(project=True),
    Kind.CONTRIBUTION_UNVOTED: row(project=True),
    Kind.CONTRIBUTION_WON: row(project=True),
    # Partners
    Kind.PARTNER_APPLIED: row(organisation=True),
    Kind.PARTNER_DECIDED: row(organisation=True, thread=True),
    Kind.ORGANISATION_EDITED: row(organisation=True),  # credits show the name only
    Kind.PARTNER_JOINED: row(organisation=True),
    Kind.PARTNER_LEFT: row(organisation=True),
    Kind.PARTNER_PUBLISHED: row(organisation=True, thread=True, feed=True),
    Kind.COAUTHOR_INVITED: row(),
    Kind.COAUTHOR_ACCEPTED: row(thread=True, organisation=True),  # the credit names them
}


def check_complete(table) -> None:
    """Every event kind has a row: a new kind must say what it makes stale."""
    missing = set(Kind.values) - set(table)
    if missing:
        raise ImportError(f"community.pages.invalidation.STALE has no row for {sorted(missing)}")


check_complete(STALE)


def stale(event) -> Stale:
    return STALE[event.kind](event)


def pages_change(event) -> None:
    """The cached pages and fragments ``event`` makes stale are rendered again: at once
    (this transaction's own reads) and after commit (``versions.invalidate``)."""
    found = stale(event)
    invalidate_with_commit(*found.tags, user_ids=found.user_ids)
