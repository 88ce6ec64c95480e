"""Search over threads.

On PostgreSQL: full-text search on ``Thread.search_vector`` (title weighted A over the
opening post's text, weighted B; GIN index), ranked with ``ts_rank`` and highlighted with
``ts_headline``. On SQLite (``make run``): a word-by-word ``LIKE`` search that still works.

Highlighted snippets are built from member-written text, so the database marks matches with
control characters and the text is escaped here before ``<mark>`` goes in.
"""
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Q, QuerySet

from community.content import rendering
from community.models import Thread

# Thread.search_vector in SQL, for every write of it. PostgreSQL's parser reads "<...>" as
# markup and skips whatever follows "<style>" or "<script>": a member who writes about
# HTML would lose the rest of the text from search, so angle brackets become spaces first.
VECTOR_SQL = ("setweight(to_tsvector('english', translate(title, '<>', '  ')), 'A') || "
              "setweight(to_tsvector('english', translate(search_body, '<>', '  ')), 'B')")
MAX_QUERY = 200
MAX_WORDS = 12
PAGE_SIZE = 20
_START, _STOP = "\x02", "\x03"
_WORD = re.compile(r"[^\W_]{2,}", re.UNICODE)


def words_of(query: str) -> list[str]:
    return list(dict.fromkeys(w.lower() for w in _WORD.findall((query or "")[:MAX_QUERY])))[
        :MAX_WORDS
    ]


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _highlight(text: str) -> str:
    return rendering.highlighted(text, _START, _STOP)


def _like_snippet(text: str, words: list[str], length: int = 220) -> str:
    text = text or ""
    lower = text.lower()
    hit = min((lower.find(w) for w in words if w in lower), default=0)
    start = max(hit - 60, 0)
    snippet = ("…" if start else "") + text[start:start + length]
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE) if words else None
    if pattern:
        snippet = pattern.sub(lambda m: f"{_START}{m.group(0)}{_STOP}", snippet)
    return _highlight(snippet)


@dataclass
class Filters:
    space: str = ""
    tag: str = ""
    kind: str = ""
    solved: str = ""  # "yes" / "no"
    by: str = ""  # "members" / "staff"


@dataclass
class SearchPage:
    results: list[Thread]
    number: int
    has_next: bool
    words: list[str]


def _filtered(qs: QuerySet, f: Filters) -> QuerySet:
    if f.space:
        qs = qs.filter(space__slug=f.space)
    if f.tag:
        qs = qs.filter(tags__name=f.tag)
    if f.kind in Thread.Kind.values:
        qs = qs.filter(kind=f.kind)
    if f.solved == "yes":
        qs = qs.filter(accepted_answer__isnull=False)
    elif f.solved == "no":
        qs = qs.filter(kind=Thread.Kind.QUESTION, accepted_answer__isnull=True)
    # The dashboard's reading of community.words: opened as staff or not (partners are members).
    if f.by == "members":
        qs = qs.filter(author_is_staff=False)
    elif f.by == "staff":
        qs = qs.filter(author_is_staff=True)
    return qs


def _base() -> QuerySet:
    return Thread.objects.filter(is_deleted=False, is_hidden=False).select_related(
        "space", "author")


def search(query: str, filters: Filters | None = None, page: int = 1) -> SearchPage:
    """Threads matching all words of ``query``, best first (2 queries at most)."""
    filters = filters or Filters()
    words = words_of(query)
    if not words:
        return SearchPage(results=[], number=1, has_next=False, words=[])
    qs = _filtered(_base(), filters)
    start = (page - 1) * PAGE_SIZE
    if _postgres():
        from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank

        ts_query = SearchQuery(" ".join(words), search_type="plain", config="english")
        qs = (
            qs.filter(search_vector=ts_query)
            .annotate(
                rank=SearchRank(F("search_vector"), ts_query),
                snippet=SearchHeadline(
                    "search_body", ts_query, config="english", start_sel=_START,
                    stop_sel=_STOP, max_words=35, min_words=15, max_fragments=2,
                ),
            )
            .order_by("-rank", "-last_activity_at", "-id")
        )
        rows = list(qs[start:start + PAGE_SIZE + 1])
        for row in rows:
            row.snippet_html = _highlight(row.snippet or "")
    else:
        condition = Q()
        for word in words:
            condition &= Q(title__icontains=word) | Q(search_body__icontains=word)
        rows = list(qs.filter(condition).order_by("-last_activity_at", "-id")[
            start:start + PAGE_SIZE + 1
        ])
        for row in rows:
            row.snippet_html = _like_snippet(row.search_body, words)
    return SearchPage(results=rows[:PAGE_SIZE], number=page, has_next=len(rows) > PAGE_SIZE,
                      words=words)


def tagged(tag, filters: Filters | None = None, page: int = 1) -> SearchPage:
    """Threads with ``tag``, latest activity first (for tag links)."""
    qs = _filtered(_base().filter(tags=tag), filters or Filters())
    start = (page - 1) * PAGE_SIZE
    rows = list(qs.order_by("-last_activity_at", "-id")[start:start + PAGE_SIZE + 1])
    for row in rows:
        row.snippet_html = _like_snippet(row.search_body, [])
    return SearchPage(results=rows[:PAGE_SIZE], number=page, has_next=len(rows) > PAGE_SIZE,
                      words=[])


def similar_questions(title: str, limit: int = 5) -> list[Thread]:
    """Existing questions sharing words with ``title`` (any word), best match first."""
    words = words_of(title)
    if not words or len(" ".join(words)) < 4:
        return []
    qs = _base().filter(kind=Thread.Kind.QUESTION)
    if _postgres():
        from django.contrib.postgres.search import SearchQuery, SearchRank

        ts_query = None
        for word in words:
            part = SearchQuery(word, search_type="plain", config="english")
            ts_query = part if ts_query is None else ts_query | part
        return list(
            qs.filter(search_vector=ts_query)
            .annotate(rank=SearchRank(F("search_vector"), ts_query))
            .order_by("-rank", "-answer_count", "-id")[:limit]
        )
    condition = Q()
    for word in words:
        if len(word) > 3:
            condition |= Q(title__icontains=word)
    if not condition:
        return []
    return list(qs.filter(condition).order_by("-answer_count", "-last_activity_at")[:limit])
