"""The hosts' writes to their initiatives: record, change, delete (with undo), restore, and
the worksheet's rows at once. Each write checks the host, changes the row and records an
``initiative_saved`` event in one transaction (its stale-table row: nothing kept shows it).
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from community import permissions
from community.engine import events
from community.host.dashboard import EARLIEST_DAY, LATEST_DAY, PERIOD_RANGE
from community.models import Initiative, User
from community.models.strategy import NAME_MAX

from . import links

REFUSAL = gettext_lazy("Only the host team records the brand's initiatives.")
FIELDS = ("name", "owner", "starts_on", "ends_on", "channel", "placed", "note", "thread",
          "moment", "product", "link_kind", "link_id")


def _check(values: dict) -> None:
    name = (values.get("name") or "").strip()
    if not name or len(name) > NAME_MAX:
        raise ValidationError(gettext("Give the initiative a name."), code="name")
    starts, ends = values.get("starts_on"), values.get("ends_on")
    if starts is None or ends is None or ends < starts:
        raise ValidationError(gettext("The last day comes on or after the first day."), code="days")
    if not (EARLIEST_DAY <= starts <= LATEST_DAY and EARLIEST_DAY <= ends <= LATEST_DAY):
        raise ValidationError(PERIOD_RANGE, code="days")
    if values.get("placed") not in range(1, 6):
        raise ValidationError(gettext("Place it on one of the five steps."), code="placed")
    if values.get("channel") not in Initiative.Channel.values:
        raise ValidationError(gettext("Choose a channel from the list."), code="channel")
    kind = values.get("link_kind") or ""
    if kind and (links.get(kind) is None or not values.get("link_id")):
        raise ValidationError(gettext("Choose a project or offer from the list."), code="link")


def _apply(initiative: Initiative, values: dict) -> list[str]:
    values = dict(values)
    for name in ("name", "owner"):
        if name in values:
            values[name] = (values[name] or "").strip()
    if "link_kind" in values:
        values["link_kind"] = values["link_kind"] or ""
        values["link_id"] = values.get("link_id") if values["link_kind"] else None
    changed = []
    for name in FIELDS:
        if name in values and getattr(initiative, name) != values[name]:
            setattr(initiative, name, values[name])
            changed.append(name)
    return changed


def initiative_create(*, host: User, **values) -> Initiative:
    """Record an initiative: ``values`` are :data:`FIELDS` (``thread``, ``moment``,
    ``product`` as objects or ``None``; ``link_kind``/``link_id`` a registered link)."""
    permissions.require(permissions.can_plan_initiatives(host), REFUSAL)
    _check(values)
    with transaction.atomic():
        initiative = Initiative(created_by=host)
        _apply(initiative, values)
        initiative.save()
        events.InitiativeSaved.record(actor=host, initiative=initiative.pk, action="created")
    return initiative


def initiative_edit(*, host: User, initiative: Initiative, **values) -> bool:
    """Change an initiative's fields; False (and no event) when nothing changed."""
    permissions.require(permissions.can_plan_initiatives(host), REFUSAL)
    current = {name: getattr(initiative, name) for name in FIELDS}
    _check({**current, **values})
    with transaction.atomic():
        changed = _apply(initiative, values)
        if not changed:
            return False
        initiative.save(update_fields=[*changed, "updated_at"])
        events.InitiativeSaved.record(actor=host, initiative=initiative.pk, action="edited")
    return True


def initiative_delete(*, host: User, initiative: Initiative) -> bool:
    """Delete (restorable: :func:`initiative_restore`); False when it was deleted already."""
    permissions.require(permissions.can_plan_initiatives(host), REFUSAL)
    if initiative.deleted_at is not None:
        return False
    with transaction.atomic():
        initiative.deleted_at = timezone.now()
        initiative.save(update_fields=["deleted_at", "updated_at"])
        events.InitiativeSaved.record(actor=host, initiative=initiative.pk, action="deleted")
    return True


def initiative_restore(*, host: User, initiative: Initiative) -> bool:
    """Undo a delete; False when it was not deleted."""
    permissions.require(permissions.can_plan_initiatives(host), REFUSAL)
    if initiative.deleted_at is None:
        return False
    with transaction.atomic():
        initiative.deleted_at = None
        initiative.save(update_fields=["deleted_at", "updated_at"])
        events.InitiativeSaved.record(actor=host, initiative=initiative.pk, action="restored")
    return True


def worksheet_save(*, host: User, rows: list[tuple[Initiative | None, dict]]) -> dict:
    """The worksheet's rows at once, all or none: ``(initiative, values)`` changes an
    initiative, ``(None, values)`` records a new one. Returns how many were created and
    changed."""
    permissions.require(permissions.can_plan_initiatives(host), REFUSAL)
    done = {"created": 0, "edited": 0}
    with transaction.atomic():
        for initiative, values in rows:
            if initiative is None:
                initiative_create(host=host, **values)
                done["created"] += 1
            elif initiative_edit(host=host, initiative=initiative, **values):
                done["edited"] += 1
    return done
