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
