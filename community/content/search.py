"""Search over threads, through every post of them.

On PostgreSQL: full-text search on ``Post.search_vector`` (each post's thread title and tags,
weight A, then its own text; GIN index; ``community.content.search_index`` writes it). A
thread is found when one of its posts holds every query word (the last letters of a word
may be missing: ``ferm`` finds "fermentation"), ranked by its best post with ``ts_rank``,
and shown once, with that post's text highlighted by ``ts_headline`` and a link to it. A
query that finds nothing is tried again with each unknown word replaced by the nearest
indexed word (``SearchWord``, trigram similarity). On SQLite (``make run``): a word-by-word
``LIKE`` over the posts that still works.

Only what every reader may see is searched: published posts, not deleted, in threads that
are not deleted, hidden or merged away. The results are the same for everyone, so the
pages layer keeps them for all readers.

Highlighted snippets are built from member-written text, so the database marks matches with
control characters and the text is escaped here before ``<mark>`` goes in.
"""
import html
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.urls import reverse

from community.content import rendering
from community.models import Thread

# Thread.search_vector in SQL, for every write of it. PostgreSQL's parser reads "<...>" as
# markup and skips whatever follows "<style>" or "<script>": a member who writes about
# HTML would lose the rest of the text from search, so angle brackets become spaces first.
# Each conversation is indexed in its space's language (``Space.language``), with
# PostgreSQL's text search configuration for it (``\dF``: stems and stop words); a language
# without one is indexed word for word ("simple").
REGCONFIG = {"en": "english", "es": "spanish", "ar": "arabic"}


def regconfig(language: str) -> str:
    """The text search configuration for ``language`` (a code of ``settings.LANGUAGES``)."""
    return REGCONFIG.get(language, "simple")


def regconfig_sql(language: str) -> str:
    """The configuration for the language code in the SQL expression ``language``."""
    cases = " ".join(f"WHEN '{code}' THEN '{name}'" for code, name in REGCONFIG.items())
    return f"(CASE {language} {cases} ELSE 'simple' END)::regconfig"


def tsquery_sql(param: str) -> str:
    """``to_tsquery`` of the query text in ``%(param)s`` in every language of the site, as
    one query: a post matches in its own language's stems (its vector was built with its
    space's configuration), and the query stays a constant the GIN index can answer."""
    configs = dict.fromkeys(regconfig(code) for code, _name in settings.LANGUAGES)
    return "(" + " || ".join(f"to_tsquery('{name}', %({param})s)" for name in configs) + ")"


# The thread row's space's configuration (``space_id`` of the row being written).
_THREAD_CONFIG = regconfig_sql(
    "(SELECT s.language FROM community_space s WHERE s.id = space_id)")
VECTOR_SQL = (f"setweight(to_tsvector({_THREAD_CONFIG}, translate(title, '<>', '  ')), 'A') || "
              f"setweight(to_tsvector({_THREAD_CONFIG}, translate(search_body, '<>', '  ')), "
              "'B')")
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
    snippet = ("… " if start else "") + text[start:start + length]
    if start + length < len(text):
        snippet += " …"
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
    total: int | None = None  # threads found (None: past the last page, or not counted)
    corrected: str = ""  # the query searched instead of one that found nothing
    broad: bool = False  # so many posts match that the newest matching threads are shown


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


def _filters_sql(f: Filters) -> tuple[str, dict]:
    """The same filters as :func:`_filtered`, on the thread row ``t`` of the post search."""
    sql, params = [], {}
    if f.space:
        sql.append("t.space_id IN (SELECT id FROM community_space WHERE slug = %(space)s)")
        params["space"] = f.space
    if f.tag:
        sql.append("EXISTS (SELECT 1 FROM community_thread_tags tt JOIN community_tag g "
                   "ON g.id = tt.tag_id WHERE tt.thread_id = t.id AND g.name = %(tag)s)")
        params["tag"] = f.tag
    if f.kind in Thread.Kind.values:
        sql.append("t.kind = %(kind)s")
        params["kind"] = f.kind
    if f.solved == "yes":
        sql.append("t.accepted_answer_id IS NOT NULL")
    elif f.solved == "no":
        sql.append("t.kind = %(question)s AND t.accepted_answer_id IS NULL")
        params["question"] = Thread.Kind.QUESTION
    if f.by == "members":
        sql.append("NOT t.author_is_staff")
    elif f.by == "staff":
        sql.append("t.author_is_staff")
    return "".join(f" AND {part}" for part in sql), params


def _base() -> QuerySet:
    return Thread.objects.filter(is_deleted=False, is_hidden=False).select_related(
        "space", "author")


def _tsqueries(words: list[str]) -> tuple[str, str]:
    """``to_tsquery`` texts: every word, each also as a prefix from three letters on (what
    finds), and any word exactly (what ranks an exact word above a longer one). The words
    are letters and digits only (:func:`words_of`): nothing in them is tsquery syntax."""
    match = " & ".join(f"{w}:*" if len(w) >= 3 else w for w in words)
    return match, " | ".join(words)


# One query: the best visible post of each matching thread, the page of those threads by
# rank, how many there are, and the best post's highlighted text.
_SEARCH_SQL = """
WITH hits AS MATERIALIZED (
    -- The matching posts first, from the GIN index: a prefix's share of the posts is
    -- guessed low, and a plan that walks every thread to test its posts is ruinous.
    SELECT p.id, p.thread_id, p.position, p.search_vector
    FROM community_post p
    WHERE p.search_vector @@ {match_q}
      AND NOT p.is_deleted AND p.status = 'published'
), best AS (
    SELECT DISTINCT ON (p.thread_id) p.thread_id, p.id AS post_id,
           ts_rank(p.search_vector, {match_q})
           + ts_rank(p.search_vector, {exact_q}) AS rank
    FROM hits p JOIN community_thread t ON t.id = p.thread_id
    WHERE NOT t.is_deleted AND NOT t.is_hidden AND t.merged_into_id IS NULL{filters}
    ORDER BY p.thread_id, rank DESC, p.position
), page AS (
    SELECT best.*, t.last_activity_at, count(*) OVER () AS total
    FROM best JOIN community_thread t ON t.id = best.thread_id
    ORDER BY best.rank DESC, t.last_activity_at DESC, best.thread_id DESC
    LIMIT %(limit)s OFFSET %(offset)s
)
SELECT page.thread_id, page.post_id, page.total, p.kind, {snippet}
FROM page JOIN community_post p ON p.id = page.post_id
     JOIN community_thread ht ON ht.id = page.thread_id
     JOIN community_space hs ON hs.id = ht.space_id
     CROSS JOIN LATERAL (SELECT {plain} AS text) plain
ORDER BY page.rank DESC, page.last_activity_at DESC, page.thread_id DESC
"""
# How many posts a query may match before it counts as broad (counted up to this, from the
# GIN index: cheap for a narrow query, bounded for a common word).
_PROBE_SQL = """
SELECT count(*) FROM (
    SELECT 1 FROM community_post p
    WHERE p.search_vector @@ {match_q}
      AND NOT p.is_deleted AND p.status = 'published'
    LIMIT %(broad)s
) s
"""

# A broad query: ranking every matching post would read most of the table, so the threads
# are walked newest activity first (the thread_latest index) and the first ones whose title,
# tags and opening post hold every word are the page. The fence (OFFSET 0) keeps the
# planner from reading the whole match set from the GIN index and sorting it.
_BROAD_SQL = """
SELECT t.id, t.opening_post_id, NULL, %(opening)s, {snippet}
FROM (
    SELECT t.id, t.opening_post_id, t.search_body, t.search_vector, s.language
    FROM community_thread t JOIN community_space s ON s.id = t.space_id
    WHERE NOT t.is_deleted AND NOT t.is_hidden AND t.merged_into_id IS NULL{filters}
    ORDER BY t.last_activity_at DESC, t.id DESC OFFSET 0
) t
CROSS JOIN LATERAL (SELECT translate(t.search_body, '<>', '  ') AS text) plain
WHERE t.search_vector @@ {match_q}
LIMIT %(limit)s OFFSET %(offset)s
"""

_HEADLINE = (f"StartSel={_START}, StopSel={_STOP}, MaxWords=35, MinWords=15, "
             'MaxFragments=2, FragmentDelimiter=" … "')
# A snippet's three columns, over ``plain.text`` (the post's text, computed once a row): the
# headline, a post this short shown whole (fragments would cut even a one-line answer to the
# words around the match), and the text's first and last ``edge`` characters, which tell
# ``_plain_snippet`` where the headline cuts it.
_SNIPPET_SQL = """CASE WHEN length(plain.text) <= %(whole)s
            THEN ts_headline({space_config}, plain.text, {match_q}, %(whole_headline)s)
            ELSE ts_headline({space_config}, plain.text, {match_q}, %(headline)s) END,
       left(plain.text, %(edge)s), right(plain.text, %(edge)s)"""
_SNIPPET_PARAMS = {
    "headline": _HEADLINE, "edge": 400, "whole": 300,
    "whole_headline": f"StartSel={_START}, StopSel={_STOP}, HighlightAll=true",
}

# Per query word: whether the index knows it (or a word it starts), and the nearest word.
_CORRECT_SQL = """
SELECT q.w,
       EXISTS (SELECT 1 FROM community_searchword s WHERE s.word LIKE q.w || '%%'),
       (SELECT s.word FROM community_searchword s WHERE s.word %% q.w
        ORDER BY similarity(s.word, q.w) DESC, s.ndoc DESC, s.word LIMIT 1)
FROM unnest(%s::text[]) AS q(w)
"""


def _snippet_sql(language_column: str) -> str:
    return _SNIPPET_SQL.format(space_config=regconfig_sql(language_column),
                               match_q=tsquery_sql("match"))


def _flat(text: str | None) -> str:
    return " ".join(html.unescape(text or "").split())


def _plain_snippet(headline: str, head: str = "", tail: str = "") -> str:
    """The headline with "…" where it starts after the post's first word or ends before its
    last (``head`` and ``tail``: the post's first and last few hundred characters)."""
    text = _flat(headline)
    fragments = text.replace(_START, "").replace(_STOP, "").split(" … ")
    first, last = _words_only(fragments[0])[:40], _words_only(fragments[-1])[-40:]
    if first and not _words_only(_flat(head)).startswith(first):
        text = "… " + text
    if last and not _words_only(_flat(tail)).endswith(last):
        text += " …"
    return _highlight(text)


def _words_only(text: str) -> str:
    """``text`` without the punctuation a headline leaves off its ends."""
    return re.sub(r"^[\W_]+|[\W_]+$", "", text)


def _postgres_search(words: list[str], filters: Filters, page: int) -> SearchPage:
    from community.content.search_index import PLAIN_SQL

    match, exact = _tsqueries(words)
    where, params = _filters_sql(filters)
    start = (page - 1) * PAGE_SIZE
    broad = settings.SEARCH_BROAD_POSTS
    with connection.cursor() as cursor:
        cursor.execute(_PROBE_SQL.format(match_q=tsquery_sql("match")),
                       {"match": match, "broad": broad})
        if cursor.fetchone()[0] >= broad:
            return _broad_search(cursor, words, match, where, params, page)
        sql = _SEARCH_SQL.format(filters=where, plain=PLAIN_SQL, match_q=tsquery_sql("match"),
                                 exact_q=tsquery_sql("exact"),
                                 snippet=_snippet_sql("hs.language"))
        cursor.execute(sql, {"match": match, "exact": exact, **params, **_SNIPPET_PARAMS,
                             "limit": PAGE_SIZE + 1, "offset": start})
        found = cursor.fetchall()
    return SearchPage(results=_results(found), number=page, has_next=len(found) > PAGE_SIZE,
                      words=words, total=found[0][2] if found else None)


def _results(found) -> list[Thread]:
    """The page's threads from rows of (thread, best post, total, its kind, headline), each
    with its highlighted snippet and a link to the post that matched (one query)."""
    from community.models import Post

    threads = _base().in_bulk([row[0] for row in found[:PAGE_SIZE]]) if found else {}
    results = []
    for thread_id, post_id, _total, kind, headline, head, tail in found[:PAGE_SIZE]:
        thread = threads.get(thread_id)
        if thread is None:
            continue
        thread.snippet_html = _plain_snippet(headline, head, tail)
        thread.hit_kind = "" if kind == Post.Kind.OPENING else kind
        thread.hit_url = (thread.get_absolute_url() if kind == Post.Kind.OPENING
                          else reverse("post_permalink", kwargs={"pk": post_id}))
        results.append(thread)
    return results


def _broad_search(cursor, words, match, where, params, page) -> SearchPage:
    """A query too many posts match: the most recently active threads that hold every word
    in their title, tags or opening post (no count: it would read every match)."""
    from community.models import Post

    start = (page - 1) * PAGE_SIZE
    cursor.execute(_BROAD_SQL.format(filters=where, match_q=tsquery_sql("match"),
                                     snippet=_snippet_sql("t.language")),
                   {"match": match, **params, **_SNIPPET_PARAMS, "limit": PAGE_SIZE + 1,
                    "offset": start, "opening": Post.Kind.OPENING.value})
    found = cursor.fetchall()
    return SearchPage(results=_results(found), number=page, has_next=len(found) > PAGE_SIZE,
                      words=words, broad=True)


def corrections(words: list[str]) -> list[str]:
    """``words`` with each word of letters the index does not know replaced by the nearest
    word it does (unchanged when there is none; one query). Numbers are left as typed."""
    with connection.cursor() as cursor:
        cursor.execute(_CORRECT_SQL, [words])
        rows = {w: (known, nearest) for w, known, nearest in cursor.fetchall()}
    return [w if rows[w][0] or not rows[w][1] or len(w) < 3 or not w.isalpha() else rows[w][1]
            for w in words]


def _like_search(words: list[str], filters: Filters, page: int) -> SearchPage:
    from community.models import Post

    condition = Q()
    for word in words:
        condition &= (Q(body__icontains=word) | Q(thread__title__icontains=word)
                      | Q(thread__tags__name__icontains=word))
    posts = Post.objects.filter(condition, is_deleted=False, status=Post.Status.PUBLISHED)
    qs = _filtered(_base(), filters).filter(merged_into__isnull=True, pk__in=posts.values(
        "thread_id"))
    start = (page - 1) * PAGE_SIZE
    rows = list(qs.order_by("-last_activity_at", "-id")[start:start + PAGE_SIZE + 1])
    best = {}
    for post in posts.filter(thread__in=rows[:PAGE_SIZE]).order_by("-position"):
        best[post.thread_id] = post  # the earliest matching post of each thread is kept
    for row in rows:
        post = best.get(row.pk)
        opening = post is None or post.kind == Post.Kind.OPENING
        row.snippet_html = _like_snippet(post.body if post else row.search_body, words)
        row.hit_kind = "" if opening else post.kind
        row.hit_url = row.get_absolute_url() if opening else post.get_absolute_url()
    return SearchPage(results=rows[:PAGE_SIZE], number=page, has_next=len(rows) > PAGE_SIZE,
                      words=words, total=qs.count() if rows else None)


def search(query: str, filters: Filters | None = None, page: int = 1,
           correct: bool = True) -> SearchPage:
    """Threads with a post holding all words of ``query``, best first (three queries, and
    up to four more when nothing was found and a word could be corrected; ``correct=False``:
    the words as typed). A query that more than ``SEARCH_BROAD_POSTS`` posts match is
    answered with the most recently active threads holding every word instead."""
    filters = filters or Filters()
    words = words_of(query)
    if not words:
        return SearchPage(results=[], number=1, has_next=False, words=[])
    if not _postgres():
        return _like_search(words, filters, page)
    found = _postgres_search(words, filters, page)
    if found.results or page > 1 or not correct:
        return found
    fixed = corrections(words)
    if fixed == words:
        return found
    retried = _postgres_search(fixed, filters, page)
    if retried.results:
        retried.corrected = " ".join(fixed)
        return retried
    return found


def tagged(tag, filters: Filters | None = None, page: int = 1) -> SearchPage:
    """Threads with ``tag``, latest activity first (for tag links)."""
    qs = _filtered(_base().filter(tags=tag), filters or Filters())
    start = (page - 1) * PAGE_SIZE
    rows = list(qs.order_by("-last_activity_at", "-id")[start:start + PAGE_SIZE + 1])
    for row in rows:
        row.snippet_html = _like_snippet(row.search_body, [])
        row.hit_kind, row.hit_url = "", row.get_absolute_url()
    return SearchPage(results=rows[:PAGE_SIZE], number=page, has_next=len(rows) > PAGE_SIZE,
                      words=[], total=qs.count() if rows else None)


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
            for config in dict.fromkeys(regconfig(code) for code, _name in settings.LANGUAGES):
                part = SearchQuery(word, search_type="plain", config=config)
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
