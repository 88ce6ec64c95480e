"""Pages of the shared purpose and its projects.

Writes follow one shape: a form validates (invalid: the page again with errors and what was
typed, status 400), one service writes; a rule it refuses comes back as a message on the
page it was asked from, a permission it refuses as 403 with the reason.
"""

from .contributions import (  # noqa: F401
    contribute,
    contribution_confirm,
    contribution_detail,
    contribution_edit,
    contribution_vote,
)
from .projects import (  # noqa: F401
    my_projects,
    need_add,
    need_pledge,
    need_remove,
    project_contributions,
    project_detail,
    project_discuss,
    project_edit,
    project_follow,
    project_join,
    project_leave,
    project_propose,
    project_role,
    project_status,
    project_update,
    project_updates,
    project_voting,
    projects,
)
from .statement import (  # noqa: F401
    purpose,
    purpose_edit,
    purpose_history,
    purpose_restore,
)
