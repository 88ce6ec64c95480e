"""Known-item evaluation of search: can a reader who remembers an answer find it again?

For ``n`` answers drawn with a fixed seed, the query is three of the answer's rarest words
(by document frequency over every post; words of three letters or more, not stopwords);
the answer's thread should be among the first results. Reported: hit@1, hit@5 and the mean
reciprocal rank over the first page (``manage.py evaluate_search``, ``docs/search.md``).

Only ``search.search(query, filters)`` and its results' ``pk`` are used, so the same module
measures an older version of the search too.
"""
import html
import random
import re
from collections import Counter

from community.content import search
from community.models import Post

# PostgreSQL's English stopword list (tsearch_data/english.stop), the words search skips.
_ENGLISH_STOP = """
i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
she her hers herself it its itself they them their theirs themselves what which who whom
this that these those am is are was were be been being have has had having do does did
doing a an the and but if or because as until while of at by for with about against
between into through during before after above below to from up down in out on off over
under again further then once here there when where why how all any both each few more
most other some such no nor not only own same so than too very s t can will just don
should now
"""
STOPWORDS = frozenset(_ENGLISH_STOP.split())
QUERY_WORDS = 3
_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)


def words_in(body_html: str) -> set[str]:
    """The distinct words a reader sees in a post (three letters or more, no stopword)."""
    text = html.unescape(_TAG.sub(" ", body_html or ""))
    return {w for w in (m.lower() for m in _WORD.findall(text)) if w not in STOPWORDS}


def _visible_posts(space: str = ""):
    posts = Post.objects.filter(
        is_deleted=False, status=Post.Status.PUBLISHED, thread__is_deleted=False,
        thread__is_hidden=False, thread__merged_into__isnull=True)
    if space:
        posts = posts.filter(thread__space__slug=space)
    return posts


def known_item_queries(*, space: str = "", n: int = 200, seed: int = 1) -> list[tuple[str, int]]:
    """(query, thread id) for ``n`` answers drawn with ``seed``: each answer's rarest words."""
    frequency: Counter = Counter()
    answers = []
    rows = _visible_posts(space).order_by("created_at", "pk").values_list(
        "kind", "thread_id", "body_html").iterator(chunk_size=2000)
    for kind, thread_id, body_html in rows:
        found = words_in(body_html)
        frequency.update(found)
        if kind == Post.Kind.ANSWER and found:
            answers.append((thread_id, found))
    chosen = random.Random(seed).sample(answers, min(n, len(answers)))
    return [(" ".join(sorted(found, key=lambda w: (frequency[w], w))[:QUERY_WORDS]), thread)
            for thread, found in chosen]


def evaluate(*, space: str = "", n: int = 200, seed: int = 1) -> dict:
    """hit@1, hit@5 and MRR (first page) of known-item search over ``n`` answers."""
    queries = known_item_queries(space=space, n=n, seed=seed)
    filters = search.Filters(space=space)
    ranks = []
    for query, thread in queries:
        found = [row.pk for row in search.search(query, filters).results]
        ranks.append(found.index(thread) + 1 if thread in found else None)
    total = len(ranks) or 1
    return {
        "n": len(ranks),
        "hit@1": round(sum(1 for r in ranks if r == 1) / total, 3),
        "hit@5": round(sum(1 for r in ranks if r and r <= 5) / total, 3),
        "mrr": round(sum(1 / r for r in ranks if r) / total, 3),
        "seed": seed,
        "space": space or "all",
    }
