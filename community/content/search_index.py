"""The search index of posts: what ``community.content.search`` reads.

Every post (opening post, answer, reply) has ``Post.search_vector``, built with the text
search configuration of its space's language (``search.regconfig``): its thread's title and
tags (weight A), then its own text (an opening post's and an answer's weight B, a reply's
C), over a GIN index. The title and tags are in every post's vector so that a query naming
the thread and a word of one answer finds that answer. The text is the post's sanitised
HTML with the tags taken out: the entities left behind are skipped by PostgreSQL's parser,
and no "<...>" of a member's text is read as markup (sanitising escaped it).

``SearchWord`` keeps the words (lower case) of everything indexed, with a trigram index: a
query word that matches nothing is corrected to the nearest one.

The vector says what a post contains, not who may read it: visibility (deleted, held,
hidden, merged) is decided at query time, so hiding or approving changes no vector. What
changes the text does: a new post, an edit, a host's edit, new tags and a merge (another
title, another kind), each through :func:`posts_index`; bulk imports and the bench's
generator through :func:`index_missing`.

On SQLite (``make run``) nothing is indexed; search reads the posts with ``LIKE``.
"""
from django.db import connection

# A post's text without its markup, in SQL (``p`` is the post row): what snippets show.
PLAIN_SQL = "regexp_replace(p.body_html, '<[^>]*>', ' ', 'g')"
# What is indexed splits where a query splits (``search.words_of``: at anything but letters
# and digits), so the words inside a link or an address ("www.chicagotribune.com",
# "brew_day") are words a reader can type; PostgreSQL alone keeps them whole.
_SPLIT = "translate({}, '<>./_:=?@', '         ')"
_TITLE_SQL = _SPLIT.format(
    "t.title || ' ' || coalesce(string_agg(replace(g.name, '-', ' '), ' '), '')")
_BODY_SQL = _SPLIT.format(PLAIN_SQL)
# Words of three to forty characters: what a correction may offer (only words of letters
# are corrected, ``search.corrections``); cheaper to test than a pattern, per word.
_WORD_SQL = "length(word) BETWEEN 3 AND 40"

# One statement: the threads' title and tags (vector and text, once per thread), the posts'
# vectors, and the words of both into the word table.
_INDEX_SQL = """
WITH d AS (
    SELECT t.id, {title} AS head, {config} AS config,
           setweight(to_tsvector({config}, {title}), 'A') AS vector
    FROM community_thread t
    JOIN community_space s ON s.id = t.space_id
    LEFT JOIN community_thread_tags tt ON tt.thread_id = t.id
    LEFT JOIN community_tag g ON g.id = tt.tag_id
    WHERE {threads}
    GROUP BY t.id, s.language
), indexed AS (
    UPDATE community_post p
    SET search_vector = d.vector || setweight(to_tsvector(d.config, {body}),
                     (CASE WHEN p.kind = 'reply' THEN 'C' ELSE 'B' END)::"char")
    FROM d WHERE p.thread_id = d.id AND {posts}
    RETURNING p.body_html
), found AS (
    SELECT word FROM indexed p, unnest(tsvector_to_array(to_tsvector('simple', {body}))) word
    UNION ALL
    SELECT word FROM d, unnest(tsvector_to_array(to_tsvector('simple', d.head))) word
)
INSERT INTO community_searchword (word, ndoc)
SELECT word, count(*) FROM found WHERE {word} GROUP BY word
ON CONFLICT (word) DO {conflict}
"""


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _sql(*, threads: str, posts: str, batch: bool) -> str:
    # Live writes never wait on another post's word row (a common word is in every post):
    # only a bulk run, alone on the table, counts documents again.
    conflict = ("UPDATE SET ndoc = community_searchword.ndoc + excluded.ndoc" if batch
                else "NOTHING")
    from community.content.search import regconfig_sql

    return _INDEX_SQL.format(title=_TITLE_SQL, body=_BODY_SQL, word=_WORD_SQL,
                             config=regconfig_sql("s.language"),
                             threads=threads, posts=posts, conflict=conflict)


def posts_index(*, post_ids=(), thread_ids=()) -> None:
    """Index the posts ``post_ids`` and every post of ``thread_ids`` again (one query)."""
    if not _postgres() or not (post_ids or thread_ids):
        return
    post_ids, thread_ids = sorted(set(post_ids)), sorted(set(thread_ids))
    sql = _sql(
        threads="t.id IN (SELECT thread_id FROM community_post WHERE id = ANY(%s)) "
                "OR t.id = ANY(%s)",
        posts="(p.id = ANY(%s) OR p.thread_id = ANY(%s))", batch=False)
    with connection.cursor() as cursor:
        cursor.execute(sql, [post_ids, thread_ids, post_ids, thread_ids])


def space_reindex(space_id: int) -> None:
    """Every thread and post of a space indexed again, after its language changed (the
    text search configuration its vectors are built with: ``search.regconfig``)."""
    if not _postgres():
        return
    from community.content.search import VECTOR_SQL

    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE community_thread SET search_vector = {VECTOR_SQL} "  # noqa: S608  # nosec B608
                       "WHERE space_id = %s", [space_id])
        cursor.execute("SELECT id FROM community_thread WHERE space_id = %s", [space_id])
        thread_ids = [row[0] for row in cursor.fetchall()]
    posts_index(thread_ids=thread_ids)


def index_missing() -> None:
    """Index every post that has no vector yet (after a bulk import or generation), and
    count their words (one query over the new posts)."""
    if not _postgres():
        return
    sql = _sql(
        threads="t.id IN (SELECT thread_id FROM community_post WHERE search_vector IS NULL)",
        posts="p.search_vector IS NULL", batch=True)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        cursor.execute("ANALYZE community_post, community_searchword")  # new vectors' figures


def reindex_all() -> None:
    """Every post's vector and the word table from scratch (a repair, an import of a
    community file)."""
    if not _postgres():
        return
    with connection.cursor() as cursor:
        cursor.execute("UPDATE community_post SET search_vector = NULL")
        cursor.execute("DELETE FROM community_searchword")
    index_missing()
