"""`make run` works on a fresh checkout: SQLite, in-process tasks, the demo community.

The suite itself runs on PostgreSQL, so SQL written for PostgreSQL alone (a cast with
``::``, a function SQLite lacks) would pass every other test and break the quick start.
This runs the quick start's own commands against a new SQLite file in a subprocess."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_quick_start_migrates_and_seeds_a_new_sqlite_database(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "REDIS_URL", "TASKS_EAGER"}}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
        done = subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 0, done.stderr[-3000:]
    assert "Demo community ready" in done.stdout
    check = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from community.models import Post; "
         "print(Post.objects.filter(kind='answer', helpful_seen__gt=0).exists())"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert check.stdout.strip().endswith("True"), check.stderr[-2000:]
