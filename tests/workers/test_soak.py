"""The soak (``make soak``, five minutes) run for 30 seconds: two gunicorns on two ports, two
real workers, one PostgreSQL and a Redis of its own; no 5xx, every accepted reply stored
exactly once, the workers' pending events drained."""
import os

import pytest
from django.db import connection

from bench import soak

pytestmark = pytest.mark.worker


def test_soak(redis_server, monkeypatch, tmp_path):
    db = connection.settings_dict
    monkeypatch.setattr(soak, "DATABASE_URL",
                        f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}_soak")
    monkeypatch.setattr(soak, "REDIS_URL", redis_server.url)
    monkeypatch.setattr(soak, "MEMBERS", 12)
    result = soak.run(int(os.environ.get("SOAK_SECONDS", "30")), log_dir=tmp_path)
    print(result)
    assert soak.check(result) == [], result
    assert result["replies_accepted"] >= 20
