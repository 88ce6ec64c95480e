"""Writes of the purpose app: the purpose page, projects, needs, contributions, votes.

Each function checks permission (403 with the reason) or the rule (``ValidationError`` with
the sentence to show), writes in one transaction, bumps counters with ``F()`` and appends the
``EngagementEvent`` that the engagement engine scores and fans out as notifications.
"""

from .contributions import (  # noqa: F401
    contribution_edit,
    contribution_frozen_reason,
    contribution_refusal,
    contribution_submit,
    contribution_unvote,
    contribution_vote,
    voting_close_set,
    winner_confirm,
)
from .projects import (  # noqa: F401
    discussion_start,
    need_add,
    need_remove,
    pledge_set,
    pledge_withdraw,
    project_edit,
    project_follow_set,
    project_join,
    project_leave,
    project_propose,
    project_role_set,
    project_status_set,
    update_post,
)
from .statement import (  # noqa: F401
    ONLY_HOSTS_EDIT_PURPOSE,
    purpose_restore,
    purpose_revise,
)
