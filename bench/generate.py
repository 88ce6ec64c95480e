"""Generate a large community quickly (bulk inserts), shaped like a real one.

Thread sizes follow a long tail (most threads short, a few very long), a fifth of the
questions stay unanswered, staff write a small share of posts. Run via ``bench.run`` or:
``python -m bench.generate --members 5000 --threads 20000``.
"""

import argparse
import random
from datetime import timedelta

import django


def generate(*, members: int, threads: int, seed: int = 1) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from community.models import Post, Space, Thread, User

    rng = random.Random(seed)
    now = timezone.now()
    password = make_password("bench-password-123")
    with transaction.atomic():
        spaces = [Space.objects.get_or_create(name=f"Bench space {i}")[0] for i in range(8)]
        User.objects.bulk_create(
            [
                User(
                    username=f"bench{i}",
                    email=f"bench{i}@bench.test",
                    password=password,
                    display_name=f"Bench Member {i}",
                    is_host=i < 5,
                    trust_level=User.Trust.MEMBER,
                )
                for i in range(members)
            ],
            batch_size=2000,
            ignore_conflicts=True,
        )
        people = list(
            User.objects.filter(username__startswith="bench").values_list("pk", "is_host")
        )
        words = [
            "kettle",
            "yeast",
            "lager",
            "stout",
            "hops",
            "mash",
            "boil",
            "chiller",
            "fermenter",
            "gravity",
            "wort",
            "temperature",
            "recipe",
            "bottle",
            "keg",
            "sour",
            "pale",
            "ale",
            "water",
            "malt",
        ]
        thread_rows = []
        for i in range(threads):
            author, is_host = rng.choice(people)
            created = now - timedelta(minutes=rng.randint(0, 60 * 24 * 365))
            title = " ".join(rng.choices(words, k=6)).capitalize() + f" #{i}"
            thread_rows.append(
                Thread(
                    space=rng.choice(spaces),
                    kind=rng.choice(["question", "question", "discussion"]),
                    title=title,
                    slug=f"bench-{i}",
                    author_id=author,
                    author_is_staff=is_host,
                    created_at=created,
                    last_activity_at=created,
                    search_body=title,
                )
            )
        Thread.objects.bulk_create(thread_rows, batch_size=2000)
        post_rows = []
        for thread in thread_rows:
            size = 1 + min(int(rng.paretovariate(1.2)), 400)
            if thread.kind == "question" and rng.random() < 0.2:
                size = 1
            for position in range(1, size + 1):
                author = thread.author_id if position == 1 else rng.choice(people)[0]
                kind = (
                    "opening"
                    if position == 1
                    else ("answer" if thread.kind == "question" else "reply")
                )
                body = " ".join(rng.choices(words, k=30))
                post_rows.append(
                    Post(
                        thread=thread,
                        kind=kind,
                        author_id=author,
                        position=position,
                        body=body,
                        body_html=f"<p>{body}</p>",
                        render_version=1,
                        created_at=thread.created_at + timedelta(minutes=position),
                    )
                )
            thread.post_count = size
            thread.answer_count = size - 1 if thread.kind == "question" else 0
            thread.last_activity_at = thread.created_at + timedelta(minutes=size)
        Post.objects.bulk_create(post_rows, batch_size=5000)
        Thread.objects.bulk_update(
            thread_rows, ["post_count", "answer_count", "last_activity_at"], batch_size=2000
        )
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE community_thread SET search_vector = "
                    "setweight(to_tsvector('english', title), 'A') || "
                    "setweight(to_tsvector('english', search_body), 'B')"
                )
                cursor.execute("ANALYZE")
    return {"members": len(people), "threads": len(thread_rows), "posts": len(post_rows)}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--threads", type=int, default=20000)
    args = parser.parse_args()
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    print(generate(members=args.members, threads=args.threads))


if __name__ == "__main__":
    main()


def ensure_database(url: str) -> None:
    """Create the benchmark database if it does not exist yet (psql on the same server)."""
    import subprocess

    server, name = url.rsplit("/", 1)
    subprocess.run(["psql", f"{server}/postgres", "-qc", f"CREATE DATABASE {name}"],  # nosec B607
                   capture_output=True, check=False)
