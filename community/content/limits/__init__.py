"""New-member limits and spam checks (trust level 0, in the spirit of Discourse's).

A new member may post, with a few links, images and mentions per post, a few threads and
replies in their first day and a pause between posts; every number is a field of
:class:`~community.models.CommunitySettings`, edited in the admin. A member earns full
rights with ``full_rights_posts`` published posts and ``full_rights_days`` days of
membership. Limits refuse with a message (the form keeps the text); spam checks do not
refuse but hold the post in the review queue.
"""

from .making import (  # noqa: F401
    TEXT_LINK_RE,
    check_invitations,
    collection_check,
    collection_item_check,
    invitations_left,
    moment_check,
    moment_entry_check,
)
from .members import (  # noqa: F401
    AUTHOR_LOCK,
    NEW_MEMBER_NOTE,
    content_check,
    hold_reason,
    lock_author,
    new_member_summary,
    per_post_check,
    progress,
    promote_if_earned,
    rate_check,
    refusal_status,
    with_note,
)
from .size import (  # noqa: F401
    BODY_MAX,
    IMAGE_RE,
    LINK_RE,
    MAX_BACKTICK_RUNS,
    MAX_BRACKETS,
    MAX_EMPHASIS,
    MAX_HANDLES,
    MAX_LABEL_SCAN,
    MAX_LINES,
    MAX_PIPES,
    TOO_COMPLEX,
    Checked,
    size_check,
)
