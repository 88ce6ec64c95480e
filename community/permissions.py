"""Every access rule of the community, as named predicates.

Services call :func:`require` with the predicate and the sentence the 403 page shows, so
each permission is checked in one place; views ask the same predicate only to decide what
to render (whether to show a form) and do not refuse what the service refuses. Templates
ask the same predicates through the ``can`` tag (``community.templatetags.community``); the
permission-matrix test walks every URL for every role. Roles (ARCHITECTURE.md): anonymous,
new member, member, partner, staff host, admin.
"""
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.utils.formats import date_format
from django.utils.translation import gettext


def is_member(user) -> bool:
    """A signed-in person with an active, claimed account."""
    return bool(
        getattr(user, "is_authenticated", False) and user.is_active and not user.is_unclaimed
    )


def is_admin(user) -> bool:
    return is_member(user) and user.is_superuser


def is_staff_host(user) -> bool:
    """Brand staff who host the community (admins host too)."""
    return is_member(user) and (user.is_host or user.is_superuser)


def is_new_member(user) -> bool:
    """Trust level 0: limits apply until the member earns full rights."""
    return is_member(user) and not is_staff_host(user) and user.trust_level == 0


def is_partner(user, organisation=None) -> bool:
    """Belongs to a verified partner organisation (to ``organisation`` when given)."""
    if not is_member(user):
        return False
    ids = user.partner_organisation_ids
    if organisation is None:
        return bool(ids)
    return organisation.pk in ids


def is_suspended(user) -> bool:
    return is_member(user) and user.active_suspension is not None


def can_take_part(user) -> bool:
    """Post, reply, vote, flag: a member who is not suspended (suspended members read)."""
    return is_member(user) and not is_suspended(user)


def can_moderate(user) -> bool:
    """Review queue, flags, suspensions, thread tools, welcome and introduce."""
    return is_staff_host(user)


def can_view_profile(user, member) -> bool:
    return member.is_active and not member.is_former_member


def can_edit_profile(user, member) -> bool:
    """One's own public profile (name, avatar, bio, links), not while suspended."""
    return is_member(user) and user.pk == member.pk and not is_suspended(user)


def can_invite(user) -> bool:
    """Invitations are mail sent in the member's name: not while suspended."""
    return can_take_part(user)


def can_delete_account(user) -> bool:
    return is_member(user) and not user.is_superuser


def can_end_sessions(user, member) -> bool:
    """Sign a member out everywhere: hosts for members, admins for anyone (a host's or an
    admin's sessions are not a host's to end)."""
    return can_moderate(user) and (is_admin(user) or not (
        member.is_host or member.is_superuser))


def can_use_host_tools(user) -> bool:
    return is_staff_host(user)


def can_listen(user) -> bool:
    """Listening (the advocates and detractors map, the human-touch queue and its
    decisions, the weekly digest and its email): the host team only."""
    return is_staff_host(user)


def can_start_thread(user, kind: str = "discussion") -> bool:
    """Members start discussions and questions; announcements are the host's voice."""
    if kind == "announcement":
        return is_staff_host(user)
    return can_take_part(user)


def can_view_thread(user, thread) -> bool:
    """Deleted threads are for hosts; a thread waiting for review for its author too."""
    if is_staff_host(user):
        return True
    if thread.is_deleted or thread.merged_into_id:
        return False
    return not thread.is_hidden or (is_member(user) and user.pk == thread.author_id)


def can_view_post(user, post) -> bool:
    """Held and hidden posts are seen by their author and the hosts only."""
    return post.status == "published" or is_staff_host(user) or (
        is_member(user) and user.pk == post.author_id)


def can_see_post(user, post, thread=None) -> bool:
    """Its text: not deleted, visible to ``user`` (:func:`can_view_post`), in a thread
    ``user`` may read. Quotes of it, votes on it and replies to it follow the same rule.
    ``thread``: the post's thread when the caller has it (saves a query)."""
    if post.is_deleted or not can_view_post(user, post):
        return False
    return can_view_thread(user, thread if thread is not None else post.thread)


def can_flag(user, post) -> bool:
    return can_take_part(user) and post.author_id != user.pk and not post.is_deleted


def can_accept_answer(user, thread) -> bool:
    """The asker or a staff host picks the answer that solved a question."""
    if not is_member(user) or not thread.is_question or thread.is_deleted:
        return False
    return user.pk == thread.author_id or is_staff_host(user)


def can_vote(user, post, thread=None) -> bool:
    """One vote per member and kind, never on your own post, only on a post they can see
    (not held, hidden, deleted or in a thread they cannot read)."""
    return (can_take_part(user) and post.author_id != user.pk
            and can_see_post(user, post, thread))


def can_edit_post(user, post) -> bool:
    return can_take_part(user) and post.author_id == user.pk and not post.is_deleted


def can_upload_image(user) -> bool:
    """Add photos to what one writes: whoever may post (suspended members may not)."""
    return can_take_part(user)


def can_delete_post(user, post) -> bool:
    return is_member(user) and not post.is_deleted and (
        post.author_id == user.pk or is_staff_host(user)
    )


def can_view_post_history(user, post=None) -> bool:
    """Edit history is for hosts: moderation, not public record."""
    return is_staff_host(user)


def can_reply(user, thread) -> bool:
    """Locked and closed threads take no new replies, except from hosts."""
    if not can_take_part(user) or thread.is_deleted or thread.merged_into_id:
        return False
    return not (thread.is_locked or thread.closed_at) or is_staff_host(user)


# Shared purpose (the purpose app's objects, read by attribute: community imports no app).

def can_edit_purpose(user) -> bool:
    return is_staff_host(user)


def can_propose_project(user) -> bool:
    return can_take_part(user)


def project_role(user, project) -> str:
    """"lead", "contributor" or "" (one query, remembered on the project per user)."""
    if not is_member(user):
        return ""
    cache = project.__dict__.setdefault("_roles", {})
    if user.pk not in cache:
        cache[user.pk] = (project.memberships.filter(user_id=user.pk)
                          .values_list("role", flat=True).first() or "")
    return cache[user.pk]


def can_view_project(user, project) -> bool:
    """A proposal waiting for approval is seen by its proposer and the hosts."""
    if project.status != "proposed":
        return True
    return is_staff_host(user) or (is_member(user) and user.pk == project.proposed_by_id)


def can_approve_project(user, project) -> bool:
    """Hosts approve proposals, never their own."""
    return (is_staff_host(user) and project.status == "proposed"
            and project.proposed_by_id != user.pk)


def can_manage_project(user, project) -> bool:
    """Edit, needs, roles, voting date, updates, status: the project's leads and hosts."""
    if is_staff_host(user):
        return True
    return can_take_part(user) and project_role(user, project) == "lead"


def can_join_project(user, project) -> bool:
    return can_take_part(user) and project.status in ("open", "building")


def can_pledge(user, project) -> bool:
    return can_take_part(user) and project.status in ("open", "building")


def can_contribute(user, project) -> bool:
    return can_take_part(user) and project.status in ("open", "building") and not (
        project.voting_closed())


def contribution_frozen(contribution) -> bool:
    """Once its vote is over (the closing date passed, the project finished, a winner
    confirmed) a contribution stays as the community voted on it."""
    return contribution.is_winner or not contribution.project.voting_open()


def can_edit_contribution(user, contribution) -> bool:
    """Its author, while the vote on it is still open."""
    return (can_take_part(user) and contribution.author_id == user.pk
            and not contribution_frozen(contribution))


def can_vote_contribution(user, contribution) -> bool:
    return can_take_part(user) and contribution.author_id != user.pk


def can_confirm_winner(user) -> bool:
    return is_staff_host(user)


# Partners (the partners app's organisations, read by attribute).

def is_partner_admin(user, organisation) -> bool:
    """Admin of this organisation (verified or still applying)."""
    return is_member(user) and user.partner_roles.get(organisation.pk, (False, ""))[0]


def can_apply_partner(user) -> bool:
    return can_take_part(user)


def can_review_partners(user) -> bool:
    """Verify or decline applications, remove a partner's people: hosts."""
    return is_staff_host(user)


def can_view_organisation(user, organisation) -> bool:
    """A verified partner's page is public; an application is its people's and the hosts'."""
    if organisation.status == "verified":
        return True
    return is_staff_host(user) or (is_member(user) and organisation.pk in user.partner_roles)


def can_manage_organisation(user, organisation) -> bool:
    """Edit the page, invite and remove colleagues: the organisation's admins."""
    return can_take_part(user) and is_partner_admin(user, organisation)


def can_publish_partner(user, organisation) -> bool:
    """Co-created content, for a verified organisation, by its own people only."""
    return can_take_part(user) and is_partner(user, organisation)


def can_offer(user, organisation) -> bool:
    """Put an offer on a product: a verified organisation's own people, and the hosts."""
    if organisation.status != "verified":
        return False
    return can_take_part(user) and (is_staff_host(user) or is_partner(user, organisation))


def can_approve_offers(user) -> bool:
    """Approve partners' offers where the site holds partner content: hosts."""
    return is_staff_host(user)


def can_view_partner_insights(user, organisation) -> bool:
    return is_staff_host(user) or is_partner(user, organisation)


def can_collect(user) -> bool:
    """Make collections and add threads and posts to them: a member taking part."""
    return can_take_part(user)


def can_view_collection(user, collection) -> bool:
    """Public collections are for everyone, private ones for their owner only (hosts
    included: a private board is the member's own); deleted ones for nobody."""
    if collection.deleted_at is not None:
        return False
    return collection.is_public or (is_member(user) and user.pk == collection.owner_id)


def can_edit_collection(user, collection) -> bool:
    """Edit, reorder, add to, remove from, delete and restore: the owner, taking part."""
    return can_collect(user) and user.pk == collection.owner_id


def can_follow_collection(user, collection) -> bool:
    """Others follow a collection they can see, to hear of what is added."""
    return (is_member(user) and user.pk != collection.owner_id
            and can_view_collection(user, collection))


def can_feature_collection(user, collection) -> bool:
    """Hosts feature public collections ("Best of fermentation")."""
    return (is_staff_host(user) and collection.is_public
            and collection.deleted_at is None)


# Moments: a host's prompt and the members' entries (community.models.moments).

def can_host_moment(user, moment=None) -> bool:
    """Start, edit and close moments, feature their entries: the host team."""
    return is_staff_host(user)


def can_plan_initiatives(user) -> bool:
    """Record the brand's marketing initiatives and read the strategy and growth pages: the
    host team."""
    return is_staff_host(user)


def can_manage_webhooks(user) -> bool:
    """Register, change and delete webhook endpoints and read their delivery log: the
    site's admins (the endpoints carry the community's events to other systems)."""
    return is_admin(user)


def can_manage_apps(user) -> bool:
    """Register and remove the third-party apps members may authorise (OAuth 2 clients):
    the site's admins."""
    return is_admin(user)


def can_view_moment(user, moment) -> bool:
    """A moment is as visible as its thread (hidden with it when the thread is removed)."""
    return can_view_thread(user, moment.thread)


def can_enter_moment(user, moment, now=None) -> bool:
    """Members taking part answer while the moment is open and its thread takes replies."""
    return (can_take_part(user) and moment.state(now) == "open"
            and can_reply(user, moment.thread))


# The catalogue: the shop's products (community.models.commerce).

def can_edit_products(user) -> bool:
    """Add and edit products, their photos and families: the host team."""
    return is_staff_host(user)


def why_not(user, thread=None) -> str:
    """The sentence shown when ``user`` may not post (in ``thread``)."""
    if is_suspended(user):
        s = user.active_suspension
        return gettext("Your account is suspended until %(date)s: %(reason)s") % {
            "date": date_format(s.ends_at, "d F Y"), "reason": s.reason}
    if not is_member(user):
        return gettext("Sign in to take part.")
    if thread is not None and thread.closed_at:
        return gettext("This thread is closed: %(reason)s") % {"reason": thread.closed_reason}
    if thread is not None and thread.is_locked:
        return gettext("This thread is locked: no new replies.")
    return gettext("You cannot post here.")


def why_not_start(user, kind: str = "discussion") -> str:
    """The sentence shown when ``user`` may not start a thread of ``kind``."""
    if kind == "announcement" and can_take_part(user):
        return gettext("Only the host team can post announcements.")
    return why_not(user)


def why_not_vote(user, post) -> str:
    """The sentence shown when ``user`` may not vote on ``post`` (or withdraw a vote)."""
    if not can_take_part(user):
        return why_not(user)
    if post.author_id == user.pk:
        return gettext("You cannot vote on your own post.")
    return gettext("You cannot vote on this post.")


def why_not_flag(user, post) -> str:
    """The sentence shown when ``user`` may not flag ``post``."""
    if not can_take_part(user):
        return why_not(user)
    if post.author_id == user.pk:
        return gettext("You cannot flag your own post.")
    return gettext("You cannot flag this post.")


def why_not_edit_post(user, post) -> str:
    """The sentence shown when ``user`` may not edit ``post``."""
    if is_suspended(user):
        return why_not(user)
    return gettext("You can only edit your own posts.")


def why_not_delete_account(user) -> str:
    """The sentence shown when ``user`` may not delete their own account here."""
    if getattr(user, "is_superuser", False):
        return gettext("A site admin's account is not deleted from its settings: another "
                       "admin removes it in the admin, so the site is never left without one.")
    return gettext("This account cannot be deleted here.")


def why_not_edit_profile(user) -> str:
    """The sentence shown when ``user`` may not change their public profile."""
    if is_suspended(user):
        s = user.active_suspension
        return gettext("Your account is suspended until %(date)s: %(reason)s. Your public "
                       "profile cannot be changed until then.") % {
            "date": date_format(s.ends_at, "d F Y"), "reason": s.reason}
    return gettext("You can change only your own profile.")


PREDICATES = {
    name.removeprefix("can_"): fn
    for name, fn in dict(globals()).items()
    if name.startswith(("can_", "is_")) and callable(fn)
}


def require(allowed: bool, message: str | Callable[[], str] | None = None) -> None:
    """Raise 403 (rendered by ``403.html`` with ``message``) unless ``allowed``.

    ``message`` may be a function giving the sentence, asked only on a refusal; without
    one, a general refusal in the visitor's language."""
    if not allowed:
        if message is None:
            message = gettext("You do not have permission to do that.")
        raise PermissionDenied(message() if callable(message) else message)
