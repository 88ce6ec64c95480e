"""Slots: where the values that differ on every request (the CSRF token, a form's nonce and
start time) go in output that is rendered once and kept. Member-written text is part of
that output, so a slot's marker must be one no member can write: it is random, new for
every process, and never served (every slot is filled before a response leaves). Output
kept in the shared cache is stored with the marker it was rendered with (``to_keep``), and
another process's marker is swapped for this one's as it is read back (``from_kept``).
"""
import copy
import re
import secrets

from community.content import rendering

SLOT_MARK = "slot-" + secrets.token_hex(16)
_MARK_SHAPE = re.compile(r"slot-[0-9a-f]{32}")


def slot(name: str) -> str:
    """The marker for the per-request value ``name`` in output kept across requests."""
    return f"{SLOT_MARK}-{name}"


CSRF_SLOT = slot("csrf")  # where a request's CSRF token goes in output kept across requests


def to_keep(html) -> str:
    """``html`` as it is stored in the shared cache: with the marker its slots use."""
    return f"{SLOT_MARK}\n{html}"


def from_kept(stored: str | None) -> str | None:
    """What ``to_keep`` stored, its slots in this process's marker; None (render it again)
    for anything else."""
    mark, newline, html = (stored or "").partition("\n")
    if not newline or not _MARK_SHAPE.fullmatch(mark):
        return None
    return html if mark == SLOT_MARK else html.replace(mark, SLOT_MARK)


def with_values(html, values: dict[str, str], request=None):
    """Template output rendered once and cached (escaped when it was rendered), with each
    placeholder of ``values`` replaced by its per-request value, escaped here, and, given
    the ``request``, its CSRF token where ``CSRF_SLOT`` is: the thread page's cards and
    body (``cards``, ``bodies``), the site header, a form's nonce and start time
    (``{% form_fields %}``)."""
    html = str(html)
    if request is not None and CSRF_SLOT in html:
        from django.middleware.csrf import get_token

        values = {**values, CSRF_SLOT: get_token(request)}
    return rendering.filled(html, values)


FORM_SLOTS = ("nonce", "started")  # SubmissionNonceMixin, BotGuardMixin: new every render


def form_slot(name: str) -> str:
    """The placeholder a form's per-render value ``name`` is rendered as, to fill in later."""
    return slot(f"form-{name}")


def slotted(form):
    """A copy of ``form`` that renders a slot in place of each per-render value, and those
    values by slot (``with_values`` puts them back). A bound form shows what was
    sent, so its copy renders just like it."""
    names = [name for name in FORM_SLOTS if name in form.initial]
    copied = copy.copy(form)
    copied.initial = {**form.initial, **{name: form_slot(name) for name in names}}
    copied._bound_fields_cache = {}
    return copied, {form_slot(name): str(form.initial[name]) for name in names}
