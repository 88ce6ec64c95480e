"""The write path names the tasks it asks for; it never imports the worker modules.

``tasks`` imports the engine and the services it runs, so a service or the engine that
imported ``tasks`` back would close a loop. Checked in a fresh interpreter, where nothing
else has imported the task modules yet.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from community.engine.enqueue import registered

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import json, sys
import django
django.setup()
import community.engine.engagement, community.engine.notifications, community.services.events
import community.services.conversations, community.services.moderation
import community.services.invitations, community.services.users
import partners.services, purpose.services
print(json.dumps(sorted(m for m in sys.modules if m.rsplit(".", 1)[-1] == "tasks"
                        and m.split(".")[0] in ("community", "purpose", "partners"))))
"""


def test_services_and_engine_load_without_the_task_modules():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    assert json.loads(out.splitlines()[-1]) == []


def test_a_task_is_found_by_its_registered_name():
    assert registered("community.process_events").name == "community.process_events"
    assert registered("partners.send_partner_invitation").queue == "notifications"


def test_an_unknown_task_name_fails_in_the_write_that_asked_for_it():
    with pytest.raises(LookupError, match="community.no_such_task"):
        registered("community.no_such_task")


# The speed layer (``community.pages``) is asked for by what serves a page and by the
# engine's hooks that make pages stale; selectors and services stay plain reads and writes.
PAGES_USERS = {
    "community/middleware.py",  # wiring
    "community/apps.py",
    "community/services/events.py",  # every event's row of the invalidation table
    "community/engine/engagement.py",  # the engine's feed bump when scores reorder the lists
    "community/signals.py",  # spaces and settings saved in the admin, with no event
    "purpose/apps.py",  # wiring: purpose's rows of the invalidation table
    "partners/apps.py",  # wiring: partners' rows of the invalidation table
}
PAGES_USER_FOLDERS = ("views", "templatetags")


def _imports_pages(path: Path) -> bool:
    import ast

    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolved against the module's own package
                package = path.relative_to(ROOT).with_suffix("").parts[:-1]
                base = ".".join(package[:len(package) - node.level + 1]
                                + ((base,) if base else ()))
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        if any(name == "community.pages" or name.startswith("community.pages.")
               for name in names):
            return True
    return False


def _may_import_pages(relative: str) -> bool:
    parts = relative.split("/")
    return (relative in PAGES_USERS or parts[:2] == ["community", "pages"]
            or any(folder in parts[:-1] or parts[-1] == f"{folder}.py"
                   for folder in PAGES_USER_FOLDERS))


def test_only_views_tags_middleware_and_engine_hooks_import_the_pages_layer():
    found, refused = set(), []
    for app in ("community", "purpose", "partners"):
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or not _imports_pages(path):
                continue
            found.add(relative)
            if not _may_import_pages(relative):
                refused.append(relative)
    assert refused == [], f"only views, template tags and engine hooks use the cache: {refused}"
    assert "community/views/threads.py" in found  # the walk does see the imports


def test_the_walk_sees_relative_and_from_imports():
    assert not _imports_pages(ROOT / "community" / "selectors" / "threads.py")
    assert _imports_pages(ROOT / "community" / "signals.py")  # from . import pages
    assert _imports_pages(ROOT / "community" / "pages" / "bodies.py")  # from .store import ...
    assert not _may_import_pages("community/selectors/threads.py")
    assert not _may_import_pages("purpose/selectors.py")
    assert _may_import_pages("partners/templatetags/partners.py")
