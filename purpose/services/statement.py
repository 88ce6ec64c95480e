"""Writes of the purpose page: a revision, and restoring an earlier one."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from community import permissions

from .. import events
from ..models import PurposeRevision
from .common import html_of

# Purpose page ------------------------------------------------------------------------

ONLY_HOSTS_EDIT_PURPOSE = gettext_lazy("Only the host team edits the shared purpose.")


def purpose_revise(*, editor, statement: str, story: str, note: str = "") -> PurposeRevision:
    permissions.require(permissions.can_edit_purpose(editor), ONLY_HOSTS_EDIT_PURPOSE)
    with transaction.atomic():
        revision = PurposeRevision.objects.create(
            statement=statement.strip(), story=story.strip(), story_html=html_of(story, editor),
            editor=editor, note=note.strip(),
        )
        events.PurposeRevised.record(actor=editor, revision=revision.pk)
    return revision


def purpose_restore(*, editor, revision: PurposeRevision) -> PurposeRevision:
    when = timezone.localtime(revision.created_at)
    return purpose_revise(editor=editor, statement=revision.statement, story=revision.story,
                          note=f"Restored the version of {when:%d %b %Y %H:%M}")
