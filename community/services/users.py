"""Profile changes and account deletion."""
from django.contrib.auth import logout
from django.db import transaction

from community import permissions
from community.models import EngagementEvent, User

from .events import event_record

FORMER_MEMBER_USERNAME = "former_member"


def former_member_get() -> User:
    """The shared account that keeps the posts of members who deleted their account."""
    user, created = User.objects.get_or_create(
        username=FORMER_MEMBER_USERNAME,
        defaults={"display_name": "Former member", "is_former_member": True, "email": None},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def profile_update(*, actor: User, form) -> User:
    """Save a validated ProfileForm of ``actor``'s own profile."""
    permissions.require(permissions.can_edit_profile(actor, form.instance))
    with transaction.atomic():
        user = form.save()
        event_record(kind=EngagementEvent.Kind.PROFILE_UPDATED, actor=user)
    return user


# Functions called with (user, former_member, remove_posts) before an account is deleted, so
# that each kind of content decides how to survive it. Registered at import by its module.
ACCOUNT_CONTENT_HANDLERS = []


def account_delete(*, request, user: User, remove_posts: bool) -> None:
    """Delete ``user``'s account.

    Posts are either kept and shown as written by "Former member" or have their text removed
    (the thread structure and everybody else's replies stay). Nothing of anyone else is lost:
    invitations they sent and members they invited keep their history without a link to them.
    """
    permissions.require(
        permissions.can_delete_account(user), "This account cannot be deleted here."
    )
    from community.models import Post

    with transaction.atomic():
        former = former_member_get()
        # The threads they wrote in are rescored by the engagement engine afterwards.
        threads = sorted(set(
            Post.objects.filter(author=user).values_list("thread_id", flat=True)
        ))
        for handler in ACCOUNT_CONTENT_HANDLERS:
            handler(user=user, former_member=former, remove_posts=remove_posts)
        event_record(
            kind=EngagementEvent.Kind.ACCOUNT_DELETED,
            actor=None,
            payload={
                "deleted_account": user.pk, "removed_posts": remove_posts,
                "threads": threads, "members": [former.pk],
            },
        )
        user.delete()
    logout(request)
