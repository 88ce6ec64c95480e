"""What other apps add to a product's page (``partners`` adds its live offers).

community never imports ``purpose`` or ``partners``; they register a panel from their
``AppConfig.ready()``. A panel is a function ``(product, user) -> (template name, context)``
or ``None`` when it has nothing to show; the product page renders each in the order
registered. A panel must cost a constant number of queries.
"""
from collections.abc import Callable

Panel = Callable[..., tuple[str, dict] | None]
_PANELS: dict[str, Panel] = {}


def register(name: str, panel: Panel) -> None:
    _PANELS[name] = panel


def render_list(product, user) -> list[tuple[str, dict]]:
    """The (template, context) of every panel with something to show for ``product``."""
    shown = []
    for panel in _PANELS.values():
        if (part := panel(product, user)) is not None:
            shown.append(part)
    return shown
