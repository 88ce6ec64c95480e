"""What other apps add to a product's page (``partners`` adds its live offers).

community never imports ``purpose`` or ``partners``; they register a panel from their
``AppConfig.ready()``. A panel is a function ``(product, user) -> (template name, context)``
or ``None`` when it has nothing to show; the product page renders each in the order
registered. A panel must cost a constant number of queries.

A panel whose content changes with the clock rather than by an event (an offer going live
or ending) also gives a ``state(product) -> str`` naming what it shows now; the product
page's cache names every panel's state (:func:`cache_names`), as a moment's page names its
open/closed state, so a kept page is never shown after the state has changed.
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


def cache_names(product) -> list[str]:
    """Names of what the panels show for ``product`` now, for the product page's cache
    key (one query per panel that has a state)."""
    return [f"panel:{name}:{product.pk}:{state(product)}" for name, state in _STATES.items()]


def render_list(product, user) -> list[tuple[str, dict]]:
    """The (template, context) of every panel with something to show for ``product``."""
    shown = []
    for panel in _PANELS.values():
        if (part := panel(product, user)) is not None:
            shown.append(part)
    return shown
