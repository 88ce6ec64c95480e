"""What other apps add to a product's page (``partners`` adds its live offers).

community never imports ``purpose`` or ``partners``; they register a panel from their
``AppConfig.ready()``. A panel is a function ``(product, user) -> (template name, context)``
or ``None`` when it has nothing to show; the product page renders each in the order
registered. A panel must cost a constant number of queries.

A panel whose content changes with the clock rather than by an event (an offer going live
or ending) also gives a ``state(product_id, now) -> (label, until)``: a label naming what it
shows at ``now`` and the moment that may next change (``None``: not by the clock). The
product page's cache key names every panel's label (:func:`cache_names`), as a moment's
page names its open/closed state, so a kept page is never shown after the state changed.
"""
from collections.abc import Callable

Panel = Callable[..., tuple[str, dict] | None]
State = Callable[..., str]
_PANELS: dict[str, Panel] = {}
_STATES: dict[str, State] = {}


def register(name: str, panel: Panel, *, state: State | None = None) -> None:
    _PANELS[name] = panel
    if state is not None:
        _STATES[name] = state


def _states(product_id: int, now) -> list[tuple[str, str, object]]:
    return [(name, *state(product_id, now)) for name, state in _STATES.items()]


def cache_names(product_id: int, *, remember=None) -> list[str]:
    """Names of what the panels show for the product now, for its page's cache key.

    ``remember(parts, compute)`` (the view's ``pages.remember`` under the product's tag,
    which every write about its panels bumps) keeps the labels for the current minute, so a
    kept page asks no query; once the clock passes a label's ``until`` they are computed
    again (one query per panel with a state) until the next minute's copy is made."""
    from django.utils import timezone

    now = timezone.now()
    found = None
    if remember is not None:
        found = remember(("panel-states", product_id, now.strftime("%Y%m%d%H%M")),
                         lambda: _states(product_id, now))
    if found is None or any(until is not None and until <= now for _, _, until in found):
        found = _states(product_id, now)
    return [f"panel:{name}:{product_id}:{label}" for name, label, _ in found]


def render_list(product, user) -> list[tuple[str, dict]]:
    """The (template, context) of every panel with something to show for ``product``."""
    shown = []
    for panel in _PANELS.values():
        if (part := panel(product, user)) is not None:
            shown.append(part)
    return shown
