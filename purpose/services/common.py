"""What the purpose app's writes share: member text through the one content check, a
project's activity and counters, its followers and its events."""

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from community.content import limits
from community.engine.events import Addressed

from .. import events
from ..models import Project

Status = Project.Status


def html_of(text: str, author, previous: str = "") -> str:
    """Member Markdown through the community's one content check (size and constructs, a
    new member's limits, the spam check) and rendered. These texts have no review queue:
    one the spam check would hold is refused with a message instead."""
    checked = limits.content_check(author, text, previous=previous)
    if checked.held:
        raise ValidationError(gettext("Your text contains words the hosts review before they are "
                              "published; please reword it."), code="held")
    return checked.rendered.html


def touch(project: Project, now=None, **counters) -> None:
    Project.objects.filter(pk=project.pk).update(
        last_activity_at=now or timezone.now(),
        **{name: F(name) + delta for name, delta in counters.items()},
    )


def followers(project: Project) -> list[int]:
    return list(project.follows.order_by("user_id").values_list("user_id", flat=True))


def record(kind: type[events.Payload], *, actor, project, subject_user=None, **fields):
    """Record ``kind`` about ``project``; the people a kind tells are sent to the project."""
    if issubclass(kind, Addressed):
        fields["url"] = project.get_absolute_url()
    kind.record(actor=actor, subject_user=subject_user, project=project.pk, **fields)
