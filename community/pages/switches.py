"""Switches for weighing each mechanism of the pages layer: ``PAGES_OFF`` (a comma list of
the names below, from the environment) turns mechanisms off one by one, so ``make bench``
can load the same pages with and without each in one sitting (bench/README.md, "What each
mechanism buys"). Nothing else reads them; production runs with every one on.
"""
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MECHANISMS = {
    "anonymous": "whole pages for anonymous visitors (anonymous.py)",
    "fragments": "template fragments under versioned keys: thread lists, search results",
    "remembered": "selectors' results kept under versioned keys (store.remember)",
    "cards": "post cards rendered once per shape (cards.py)",
    "bodies": "the thread page's content rendered once per shape of reader (bodies.py)",
    "local": "this process's copy of shared entries (store.Recent)",
    "rendered-once": "template output rendered once per process (store.rendered_once)",
    "request-versions": "tag versions read once per request (versions.py)",
    "prepared": "statements prepared once per connection (community/prepared.py)",
    "early-bump": "the bump inside the writing transaction (versions.invalidate_with_commit)",
}


def check() -> None:
    unknown = set(settings.PAGES_OFF) - set(MECHANISMS)
    if unknown:
        raise ImproperlyConfigured(
            f"PAGES_OFF names no mechanism: {', '.join(sorted(unknown))} "
            f"(known: {', '.join(MECHANISMS)})")


def off(name: str) -> bool:
    return name in settings.PAGES_OFF
