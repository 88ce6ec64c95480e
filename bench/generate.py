"""Generate a large community in PostgreSQL fast, shaped like a real one.

Defaults: 100,000 members, 50 spaces, 100,000 threads, 1,000,000 posts, 2,000,000 votes,
and one thread of 5,000 posts. Rows go in with ``COPY`` (``community.importers.bulk.Rows``),
ids reserved from the sequences first. The shape: thread sizes follow a long tail (most
short, a few very long); 60% of threads are questions and a fifth of them stay unanswered;
hosts write about 4% of replies and start a few threads; 20 verified partner organisations
with three people each write about 2% and publish co-created content; the rest is members
answering each other (peer answers), and about 40% of answered questions have an accepted
answer. Votes go mostly to answers. Afterwards the engagement engine rescores everything
(feeds order by its stored scores), the search vectors are built, and tables are analysed.

    python -m bench.generate --members 100000 --threads 100000 --posts 1000000

Run by ``make bench`` when its database is empty (``BENCH_*`` variables set the sizes).
"""
import argparse
import os
import random
import time
from datetime import timedelta

WORDS = [
    "kettle", "yeast", "lager", "stout", "hops", "mash", "boil", "chiller", "fermenter",
    "gravity", "wort", "temperature", "recipe", "bottle", "keg", "sour", "pale", "ale",
    "water", "malt", "sparge", "airlock", "pitch", "krausen", "dry-hop", "carbonation",
    "priming", "cider", "mead", "saison", "porter", "pilsner", "diacetyl",
]
BATCH = 20_000


def _sizes(rng, *, threads: int, posts: int, long_thread: int, questions: list[bool]):
    """Posts per thread (opening post included): a long tail that adds up to ``posts``."""
    sizes = [1] * threads
    unanswered = {i for i in range(threads) if questions[i] and rng.random() < 0.2}
    growing = [i for i in range(1, threads) if i not in unanswered]
    spare = max(posts - threads - (long_thread - 1), 0)
    weights = [min(rng.paretovariate(1.16), 2000.0) for _ in growing]
    scale = spare / (sum(weights) or 1)
    longest = max(long_thread // 2, 2)  # the long thread stays the longest
    for i, weight in zip(growing, weights, strict=True):
        sizes[i] = min(1 + int(weight * scale), longest)
    left = posts - long_thread - sum(sizes[1:])
    for i in rng.choices(growing, k=max(left, 0)) if growing else []:
        sizes[i] += 1  # a few more posts each for threads drawn at random
    sizes[0] = long_thread  # thread 0 is the long one
    return sizes


def generate(*, members: int = 100_000, spaces: int = 50, threads: int = 100_000,
             posts: int = 1_000_000, votes: int = 2_000_000, long_thread: int = 5_000,
             organisations: int = 20, seed: int = 1, progress: bool = True) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone
    from django.utils.text import slugify
    from tqdm import tqdm

    from community.content import search_index
    from community.content.search import VECTOR_SQL
    from community.engine import engagement
    from community.importers.bulk import Rows
    from community.models import Post, Space, Thread, User, Vote
    from partners.models import Organisation, PartnerMembership, PartnerPost

    started = time.monotonic()
    rng = random.Random(seed)
    now = timezone.now()
    long_thread = min(long_thread, posts - threads + 1) if threads else 0
    hosts = max(members // 5000, 5)
    total = members + threads + posts + votes
    bar = tqdm(total=total, unit="row", unit_scale=True, disable=not progress,
               desc="generating")

    with transaction.atomic():
        space_ids = [Space.objects.get_or_create(
            slug=f"bench-space-{i}", defaults={"name": f"Bench space {i}", "position": i})[0].pk
            for i in range(spaces)]

        # People: hosts first, then members; partners are members of organisations.
        users = Rows(User, password=make_password("bench-password-123"),
                     trust_level=User.Trust.MEMBER, date_joined=now - timedelta(days=400))
        user_ids = []
        for start in range(0, members, BATCH):
            count = min(BATCH, members - start)
            ids = users.ids(count)
            users.write([{
                "id": pk, "username": f"bench{start + n}", "email": f"bench{start + n}@bench.test",
                "display_name": f"Bench Member {start + n}", "is_host": start + n < hosts,
            } for n, pk in enumerate(ids)])
            user_ids += ids
            bar.update(count)
        host_ids, member_ids = user_ids[:hosts], user_ids[hosts:]
        partner_of: dict[int, int] = {}
        for o in range(min(organisations, len(member_ids) // 3)):
            organisation = Organisation.objects.create(
                name=f"Bench Partner {o}", slug=slugify(f"bench-partner-{o}"),
                description="A partner of the bench community.",
                status=Organisation.Status.VERIFIED)
            for person in member_ids[-3 * (o + 1):][:3]:
                PartnerMembership.objects.create(user_id=person, organisation=organisation,
                                                 is_admin=True)
                partner_of[person] = organisation.pk
        partner_ids = list(partner_of)
        plain = member_ids[: len(member_ids) - len(partner_ids)] or member_ids

        def author():
            draw = rng.random()
            if draw < 0.04:
                return rng.choice(host_ids), Post.Role.STAFF
            if draw < 0.06 and partner_ids:
                return rng.choice(partner_ids), Post.Role.PARTNER
            return rng.choice(plain), Post.Role.MEMBER

        # Threads, then their posts in batches of threads.
        questions = [rng.random() < 0.6 for _ in range(threads)]
        questions[0] = False  # the long thread is a discussion
        sizes = _sizes(rng, threads=threads, posts=posts, long_thread=long_thread,
                       questions=questions)
        thread_rows = Rows(Thread)
        post_rows = Rows(Post, render_version=1, body_format="markdown")
        partner_posts = []
        answerable: list[int] = []  # answer ids, for votes
        written_posts = 0
        for start in range(0, threads, 2000):
            chunk = range(start, min(start + 2000, threads))
            thread_ids = thread_rows.ids(len(chunk))
            post_ids = iter(post_rows.ids(sum(sizes[i] for i in chunk)))
            rows, batch = [], []
            for i, pk in zip(chunk, thread_ids, strict=True):
                started_by, role = author() if rng.random() < 0.3 else (rng.choice(plain),
                                                                          Post.Role.MEMBER)
                created = now - timedelta(minutes=rng.randint(60, 60 * 24 * 365))
                kind = "question" if questions[i] else "discussion"
                title = " ".join(rng.choices(WORDS, k=6)).capitalize() + f" #{i}"
                size = sizes[i]
                first_id, answers, accepted = None, 0, None
                step = max(1, min(120, (now - created).total_seconds() / 60 / max(size, 1)))
                for position in range(1, size + 1):
                    post_id = next(post_ids)
                    writer, writer_role = ((started_by, role) if position == 1 else author())
                    body = " ".join(rng.choices(WORDS, k=rng.randint(12, 60)))
                    post_kind = ("opening" if position == 1 else
                                 "answer" if kind == "question" else "reply")
                    batch.append({
                        "id": post_id, "thread_id": pk, "kind": post_kind, "author_id": writer,
                        "author_role": writer_role, "position": position, "body": body,
                        "body_html": f"<p>{body}</p>",
                        "created_at": created + timedelta(minutes=step * (position - 1)),
                    })
                    if position == 1:
                        first_id = post_id
                    elif kind == "question":
                        answers += 1
                        answerable.append(post_id)
                        if accepted is None and writer_role == Post.Role.MEMBER and (
                                rng.random() < 0.4):
                            accepted = post_id
                    else:
                        answerable.append(post_id)
                rows.append({
                    "id": pk, "space_id": space_ids[i % len(space_ids)], "kind": kind,
                    "title": title, "slug": slugify(title)[:80], "author_id": started_by,
                    "author_is_staff": role == Post.Role.STAFF, "created_at": created,
                    "last_activity_at": created + timedelta(minutes=step * (size - 1)),
                    "opening_post_id": first_id, "accepted_answer_id": accepted,
                    "post_count": size, "answer_count": answers, "search_body": title,
                })
                if role == Post.Role.PARTNER:
                    partner_posts.append(PartnerPost(
                        organisation_id=partner_of[started_by], thread_id=pk, kind="howto",
                        created_by_id=started_by, created_at=created))
            # The opening post points at its thread and the thread at its opening post:
            # Django's foreign keys are deferred, so both are checked at commit.
            thread_rows.write(rows)
            for offset in range(0, len(batch), BATCH):
                post_rows.write(batch[offset:offset + BATCH])
            written_posts += len(batch)
            bar.update(len(rows) + len(batch))
        PartnerPost.objects.bulk_create(partner_posts, batch_size=2000)

        # Votes: mostly on answers and replies, by members; one vote per voter, post, kind.
        vote_rows = Rows(Vote)
        seen: set[int] = set()
        made = 0
        while made < votes and answerable:
            count = min(BATCH, votes - made)
            ids = vote_rows.ids(count)
            rows = []
            for pk in ids:
                post_id, voter = rng.choice(answerable), rng.choice(member_ids)
                kind = "helpful" if rng.random() < 0.3 else "like"
                key = (post_id * 4_000_000 + voter) * 2 + (kind == "helpful")
                if key in seen:
                    continue
                seen.add(key)
                rows.append({"id": pk, "post_id": post_id, "voter_id": voter, "kind": kind,
                             "created_at": now - timedelta(minutes=rng.randint(1, 60 * 24 * 300))})
            vote_rows.write(rows)
            made += len(rows)
            bar.update(len(rows))
        seen.clear()
        bar.close()

        with connection.cursor() as cursor:
            cursor.execute("""
                UPDATE community_post AS p SET like_count = v.likes, helpful_count = v.helpful
                FROM (SELECT post_id, count(*) FILTER (WHERE kind = 'like') AS likes,
                             count(*) FILTER (WHERE kind = 'helpful') AS helpful
                      FROM community_vote GROUP BY post_id) AS v
                WHERE p.id = v.post_id""")
            cursor.execute("""
                UPDATE community_thread AS t SET like_count = s.likes
                FROM (SELECT thread_id, sum(like_count) AS likes FROM community_post
                      GROUP BY thread_id) AS s
                WHERE t.id = s.thread_id""")
            cursor.execute(f"UPDATE community_thread SET search_vector = {VECTOR_SQL}")  # noqa: S608  # nosec B608
        search_index.index_missing()  # every post's vector and the words search corrects to
    scored = engagement.rescore_all()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"members": members, "hosts": hosts, "partners": len(partner_ids),
            "spaces": spaces, "threads": threads, "posts": written_posts, "votes": made,
            "long thread": long_thread, "scored": scored,
            "seconds": round(time.monotonic() - started, 1)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--spaces", type=int, default=50)
    parser.add_argument("--threads", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--votes", type=int, default=2_000_000)
    parser.add_argument("--long-thread", type=int, default=5_000)
    parser.add_argument("--organisations", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    print(generate(members=args.members, spaces=args.spaces, threads=args.threads,
                   posts=args.posts, votes=args.votes, long_thread=args.long_thread,
                   organisations=args.organisations, seed=args.seed))


def ensure_database(url: str) -> None:
    """Create the benchmark database if it does not exist yet (psql on the same server)."""
    import subprocess

    server, name = url.rsplit("/", 1)
    subprocess.run(["psql", f"{server}/postgres", "-qc", f"CREATE DATABASE {name}"],  # nosec B607
                   capture_output=True, check=False)


if __name__ == "__main__":
    main()
