"""The speed layer: everything Gravity keeps so that a page need not be made again.

- ``versions``: tags, their versions, and the bumps that make what depends on them stale.
- ``invalidation``: the one table of what each kind of event makes stale.
- ``store``: values under keys that name their versions (fragments, remembered data).
- ``anonymous``: whole pages for anonymous visitors.
- ``slots``: per-request values (the CSRF token, a form's nonce) in output kept across requests.
- ``cards`` and ``bodies``: the thread page's post cards and content, rendered once per shape.

Only views, template tags, middleware and the engine's hooks (``services.events``,
``engagement``, ``signals``) use it; selectors and services stay plain reads and writes
(``tests/test_import_layers.py``). A view keeps a selector's result with
``remember(parts, selector, tags=...)``.
"""
from .anonymous import HEADER, Fixed, anonymous_page
from .bodies import render_body
from .slots import CSRF_SLOT, FORM_SLOTS, slot, slotted, with_values
from .store import PAGE_TIMEOUT, fragment_key, kept, remember, rendered_once
from .versions import (
    RequestVersionsMiddleware,
    invalidate,
    invalidate_on_commit,
    invalidate_with_commit,
    member_tag,
    product_tag,
    thread_tag,
)

__all__ = [
    "CSRF_SLOT", "FORM_SLOTS", "Fixed", "HEADER", "PAGE_TIMEOUT", "RequestVersionsMiddleware",
    "anonymous_page", "fragment_key", "invalidate", "invalidate_on_commit",
    "invalidate_with_commit", "kept", "member_tag", "product_tag", "remember", "render_body",
    "rendered_once", "slot", "slotted", "thread_tag", "with_values",
]
