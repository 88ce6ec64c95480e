"""Write a synthetic Stack Exchange dump of any size, shaped like the real ones.

    python -m bench.se_dump OUT_DIR [--posts 1000000] [--seed 7]

Shapes follow the beer dump in ``../shared/evaldata``: UTF-8 with BOM and CRLF, one
``<row .../>`` per line, about one question per three answers, HTML bodies with paragraphs,
code, links and the odd image, tags in ``&lt;a&gt;&lt;b&gt;`` form, accepted answers on a
third of the questions, a few owner-less posts (deleted users), comments on a third of the
posts, up-votes and the other vote types the importer skips, and unicode names. Used by
``bench.import_se`` to time the importer.
"""
from __future__ import annotations

import argparse
import random
from datetime import datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import quoteattr  # nosec B406

START = datetime(2012, 1, 1)
SPAN_SECONDS = 5 * 365 * 86400
WORDS = ("hop", "yeast", "malt", "lager", "ale", "stout", "porter", "mash", "boil", "ferment",
         "wort", "gravity", "temperature", "bottle", "keg", "carbonation", "sour", "barrel",
         "wheat", "pilsner", "ipa", "dry", "cold", "crash", "sanitise", "airlock", "pitch",
         "rate", "attenuation", "diacetyl", "esters", "clarity", "finings", "week", "day",
         "the", "a", "of", "to", "and", "in", "is", "it", "that", "for", "with", "my", "your",
         "this", "how", "why", "what", "when", "should")
NAMES = ("Zoë", "Ana", "Björn", "Chen Wei", "Dmitri", "Eun-ji", "Fatima", "Giulia", "Hiro",
         "Ines", "José", "Kwame", "Léa", "Mateus", "Nadia", "Oğuz", "Priya", "Ravi", "Søren")
TAGS = [f"{a}-{b}" for a in ("lager", "ale", "stout", "cider", "mead", "wine", "yeast",
                             "hops", "malt", "water") for b in ("basics", "recipes", "kit",
                                                               "temperature", "storage")]


def _date(rng: random.Random, after: datetime | None = None) -> datetime:
    if after is None:
        return START + timedelta(seconds=rng.randrange(SPAN_SECONDS))
    return after + timedelta(seconds=rng.randrange(60, 30 * 86400))


def _stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}"


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _body(rng: random.Random) -> str:
    parts = [f"<p>{_sentence(rng, rng.randint(8, 30))} {_sentence(rng, rng.randint(5, 20))}</p>"
             for _ in range(rng.randint(1, 4))]
    roll = rng.random()
    if roll < 0.25:
        parts.append(f"<pre><code>mash_temp = {rng.randint(60, 72)}\nboil = 60</code></pre>")
    elif roll < 0.45:
        parts.append(f'<p>See <a href="https://example.org/wiki/{rng.choice(WORDS)}" '
                     f'rel="nofollow">this page</a> for <b>more</b>.</p>')
    elif roll < 0.5:
        parts.append(f'<p><img src="https://i.example.org/{rng.randrange(10**6)}.png" '
                     'alt="my setup"></p>')
    elif roll < 0.6:
        parts.append(f"<blockquote><p>{_sentence(rng, 12)}</p></blockquote>")
    return "\n".join(parts)


class Writer:
    def __init__(self, path: Path, root: str):
        self.file = path.open("w", encoding="utf-8", newline="")
        self.file.write(f'\ufeff<?xml version="1.0" encoding="utf-8"?>\r\n<{root}>\r\n')
        self.root = root

    def row(self, **attrs) -> None:
        text = " ".join(f"{k}={quoteattr(str(v))}" for k, v in attrs.items() if v is not None)
        self.file.write(f"  <row {text} />\r\n")

    def close(self) -> None:
        self.file.write(f"</{self.root}>\r\n")
        self.file.close()


def generate(out: Path, *, posts: int = 1_000_000, seed: int = 7) -> dict[str, int]:
    """Write Users, Posts, Comments and Votes; returns row counts per file."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    questions = max(1, posts // 4)
    answers = posts - questions
    users = max(10, posts // 10)
    counts = {"users": users, "posts": posts, "comments": 0, "votes": 0}

    writer = Writer(out / "Users.xml", "users")
    writer.row(Id=-1, Reputation=1, CreationDate=_stamp(START), DisplayName="Community")
    joined = {}
    for uid in range(1, users + 1):
        joined[uid] = _date(rng)
        writer.row(Id=uid, Reputation=rng.randint(1, 5000), CreationDate=_stamp(joined[uid]),
                   DisplayName=f"{rng.choice(NAMES)} {uid}", Location=rng.choice(
                       ("Köln", "Porto", "Austin, TX", "", "東京")) or None,
                   AboutMe=f"<p>{_sentence(rng, 10)}</p>" if rng.random() < 0.3 else None)
    writer.close()

    # Questions get ids 1..Q, answers Q+1..; each answer points at a random question.
    asked = [_date(rng) for _ in range(questions)]
    parent = [rng.randrange(questions) for _ in range(answers)]
    first_answer: dict[int, int] = {}
    for index, question in enumerate(parent):
        first_answer.setdefault(question, questions + 1 + index)
    writer = Writer(out / "Posts.xml", "posts")
    for q in range(questions):
        accepted = first_answer.get(q) if rng.random() < 0.33 else None
        tags = "".join(f"<{t}>" for t in rng.sample(TAGS, rng.randint(1, 4)))
        writer.row(Id=q + 1, PostTypeId=1, AcceptedAnswerId=accepted,
                   CreationDate=_stamp(asked[q]), Score=rng.randint(-2, 40),
                   ViewCount=rng.randint(10, 20000), Body=_body(rng),
                   OwnerUserId=rng.randint(1, users) if rng.random() > 0.02 else None,
                   Title=f"How do I {_sentence(rng, rng.randint(4, 10))[:-1].lower()}?",
                   Tags=tags, AnswerCount=None)
    for index, q in enumerate(parent):
        writer.row(Id=questions + 1 + index, PostTypeId=2, ParentId=q + 1,
                   CreationDate=_stamp(_date(rng, asked[q])), Score=rng.randint(-1, 30),
                   Body=_body(rng),
                   OwnerUserId=rng.randint(1, users) if rng.random() > 0.02 else None)
    writer.close()

    writer = Writer(out / "Comments.xml", "comments")
    for cid in range(1, posts // 3 + 1):
        writer.row(Id=cid, PostId=rng.randint(1, posts), Score=rng.randint(0, 5),
                   Text=_sentence(rng, rng.randint(5, 25)),
                   CreationDate=_stamp(_date(rng)), UserId=rng.randint(1, users))
        counts["comments"] += 1
    writer.close()

    writer = Writer(out / "Votes.xml", "votes")
    for vid in range(1, posts * 2 + 1):
        kind = 2 if rng.random() < 0.85 else rng.choice((1, 3, 5, 16))
        writer.row(Id=vid, PostId=rng.randint(1, posts), VoteTypeId=kind,
                   CreationDate=_stamp(_date(rng)).split("T")[0] + "T00:00:00.000")
        counts["votes"] += 1
    writer.close()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--posts", type=int, default=1_000_000,
                        help="Rows of Posts.xml (a quarter questions, the rest answers).")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    counts = generate(args.out, posts=args.posts, seed=args.seed)
    print(", ".join(f"{name}: {rows:,}" for name, rows in counts.items()))


if __name__ == "__main__":
    main()
