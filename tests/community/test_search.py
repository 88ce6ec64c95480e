"""Search over every post: answers and replies, tags, prefixes, typos, the result count,
what must never show, the box in the site header and what a search page costs."""
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.models import Post, Thread
from community.services import conversations, moderation

from .. import factories

pytestmark = pytest.mark.django_db


def start(author, space, title, body="Some details.", kind=Thread.Kind.QUESTION, tags=(),
          **more):
    return conversations.thread_create(author=author, space=space, kind=kind, title=title,
                                       body=body, tags=tags, **more)


def answer(author, thread, body, parent=None):
    return conversations.post_create(author=author, thread=thread, body=body, parent=parent)


def results(client, query, **params):
    response = client.get(reverse("search"), {"q": query, **params})
    assert response.status_code == 200
    return response


def titles(response) -> list[str]:
    page = response.content.decode()
    return [html.unescape(re.sub(r"<[^>]+>", "", t)).strip()
            for t in re.findall(r'<a class="thread-title"[^>]*>(.*?)</a>', page, re.S)]


def hit_links(response) -> list[str]:
    return re.findall(r'<p class="search-hit"><a href="([^"]+)"', response.content.decode())


def text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def space(db):
    return factories.SpaceFactory(name="Brewing")


@pytest.fixture
def question(member, space):
    return start(member, space, "Cloudy beer after a week", body="It never clears.")


def test_a_word_only_in_an_answer_finds_the_thread_and_links_to_the_answer(
        client, member, other_member, question):
    fix = answer(other_member, question, "Add a little isinglass finings and wait.")

    response = results(client, "isinglass")

    assert titles(response) == ["Cloudy beer after a week"]
    assert hit_links(response) == [reverse("post_permalink", args=[fix.pk])]
    assert "<mark>isinglass</mark>" in response.content.decode()
    assert "Found in an answer" in text(response)
    # The permalink leads to the answer in its thread.
    landed = client.get(hit_links(response)[0])
    assert landed.status_code == 302 and landed["Location"].endswith(f"#post-{fix.pk}")


def test_a_word_only_in_a_reply_finds_the_thread_and_links_to_the_reply(
        client, member, other_member, question):
    fix = answer(other_member, question, "Cold crash it.")
    reply = answer(member, question, "Does gelatine work as well?", parent=fix)

    response = results(client, "gelatine")

    assert titles(response) == ["Cloudy beer after a week"]
    assert hit_links(response) == [reverse("post_permalink", args=[reply.pk])]
    assert "Found in a reply" in text(response)


def snippets(response) -> list[str]:
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", "", s)).split())
            for s in re.findall(r'<p class="snippet"[^>]*>(.*?)</p>', response.content.decode(),
                                re.S)]


LONG = " ".join(f"word{n}" for n in range(200))


@pytest.mark.parametrize("body, cut_before, cut_after", [
    ("Dry hop with Nelson early.", False, False),
    (f"Nelson first. {LONG}", False, True),
    (f"{LONG} and then Nelson.", True, False),
    (f"{LONG} then Nelson {LONG}", True, True),
])
def test_a_snippet_says_where_it_cuts_the_post(client, member, other_member, question, body,
                                               cut_before, cut_after):
    answer(other_member, question, body)

    (snippet,) = snippets(results(client, "nelson"))

    assert "Nelson" in snippet
    assert snippet.startswith("… ") is cut_before, snippet
    assert snippet.endswith(" …") is cut_after, snippet


def test_a_broad_query_s_snippet_says_where_it_cuts_too(client, member, space, settings):
    settings.SEARCH_BROAD_POSTS = 1
    start(member, space, "Kettle sizes", body=f"{LONG} kettle {LONG}")
    start(member, space, "Kettle care", body="Rinse the kettle.")

    page = results(client, "kettle")

    assert "Very many posts hold" in text(page)
    short, long_one = sorted(snippets(page), key=len)
    assert not short.startswith("…") and not short.endswith("…"), short
    assert long_one.startswith("… ") and long_one.endswith(" …"), long_one


def test_one_row_per_thread_with_its_best_post(client, member, other_member, question):
    answer(other_member, question, "Gelatine once.")
    best = answer(member, question, "Gelatine, gelatine and more gelatine: gelatine works.")

    response = results(client, "gelatine")

    assert titles(response) == ["Cloudy beer after a week"]
    assert hit_links(response) == [reverse("post_permalink", args=[best.pk])]


def test_words_of_the_title_and_of_an_answer_find_it_together(
        client, member, other_member, question):
    answer(other_member, question, "Use isinglass.")
    assert titles(results(client, "cloudy isinglass")) == ["Cloudy beer after a week"]


def test_a_tag_name_finds_the_threads_tagged_with_it_first(client, member, other_member,
                                                           space):
    tagged = start(member, space, "Which strain for a saison?", body="Dry or liquid?",
                   tags=["yeast"])
    other = start(member, space, "Bottling day questions", body="How full?")
    answer(other_member, other, "Not about yeast at all, but fill to the neck.")

    assert titles(results(client, "yeast")) == ["Which strain for a saison?",
                                                 "Bottling day questions"]
    assert tagged.tags.filter(name="yeast").exists()


def test_a_host_retag_is_found_at_once(client, member, host, space):
    thread = start(member, space, "Which strain for a saison?", body="Dry or liquid?")
    assert titles(results(client, "farmhouse")) == []

    moderation.thread_tags_set(actor=host, thread=thread, names=["farmhouse"])

    assert titles(results(client, "farmhouse")) == ["Which strain for a saison?"]


def test_the_start_of_a_word_finds_the_whole_word(client, member, other_member, question):
    answer(other_member, question, "A slow fermentation clears on its own.")
    response = results(client, "ferm")
    assert titles(response) == ["Cloudy beer after a week"]
    assert "<mark>fermentation</mark>" in response.content.decode()


def test_a_misspelt_word_is_corrected_with_a_way_back(client, member, other_member,
                                                      question):
    answer(other_member, question, "A slow fermentation clears on its own.")

    response = results(client, "fermantation")

    assert titles(response) == ["Cloudy beer after a week"]
    page = text(response)
    assert "Showing results for fermentation" in page
    assert "Search instead for “fermantation”" in page
    back = re.search(r'Showing results for.*?<a href="([^"]+)"', response.content.decode(),
                     re.S).group(1)
    as_typed = client.get(reverse("search") + html.unescape(back))
    assert "spell=0" in html.unescape(back)
    assert titles(as_typed) == [] and "Nothing found" in text(as_typed)


def test_a_word_nobody_wrote_finds_nothing_and_offers_no_correction(client, question):
    response = results(client, "xylophonic")
    assert titles(response) == []
    assert "Showing results for" not in text(response)


def test_the_page_says_how_many_threads_were_found(client, member, other_member, space):
    for n in range(3):
        thread = start(member, space, f"Kettle question {n}")
        answer(other_member, thread, "The kettle answer.")  # the same thread: counted once
    start(member, space, "Unrelated", body="Nothing here.")

    assert "3 results for “kettle”" in text(results(client, "kettle"))
    assert "1 result for “unrelated”" in text(results(client, "unrelated"))


def test_results_past_the_first_page_and_their_count(client, member, space, settings):
    from community.content import search

    for n in range(search.PAGE_SIZE + 3):
        start(member, space, f"Kettle question {n}")
    first, second = results(client, "kettle"), results(client, "kettle", page=2)
    assert len(titles(first)) == search.PAGE_SIZE and len(titles(second)) == 3
    assert f"{search.PAGE_SIZE + 3} results for “kettle”" in text(second)
    assert not set(titles(first)) & set(titles(second))


def test_a_query_very_many_posts_hold_shows_the_latest_matching_threads_and_says_so(
        client, member, other_member, space, settings):
    settings.SEARCH_BROAD_POSTS = 4
    older = [start(member, space, f"Kettle question {n}") for n in range(4)]
    in_answer = start(member, space, "Mash schedule")
    answer(other_member, in_answer, "Use a bigger kettle.")
    answer(other_member, older[0], "Another kettle answer.")  # the oldest, now the latest active
    start(member, space, "Yeast pitch rate")

    page = results(client, "kettle")
    # Not every match is ranked: the most recently active threads holding the word in
    # their title, tags or opening post, newest activity first, and the page says so.
    assert titles(page) == ["Kettle question 0", "Kettle question 3", "Kettle question 2",
                            "Kettle question 1"]
    assert "Very many posts hold “kettle”" in text(page)
    assert "results for" not in text(page)
    # A narrower query is ranked and counted as before.
    narrow = results(client, "pitch")
    assert titles(narrow) == ["Yeast pitch rate"] and "1 result for “pitch”" in text(narrow)


def test_a_broad_query_pages_through_the_latest_threads(client, member, space, settings):
    from community.content import search

    settings.SEARCH_BROAD_POSTS = 2
    for n in range(search.PAGE_SIZE + 2):
        start(member, space, f"Kettle question {n}")
    first, second = results(client, "kettle"), results(client, "kettle", page=2)
    assert len(titles(first)) == search.PAGE_SIZE and titles(second) == [
        "Kettle question 1", "Kettle question 0"]


# What never shows


def test_a_hidden_or_deleted_answer_is_not_found(client, member, other_member, host,
                                                 question):
    hidden = answer(other_member, question, "Buy my isinglass at spam dot example.")
    deleted = answer(member, question, "Gelatine, I think.")
    answer(other_member, question, "Patience.")
    assert titles(results(client, "isinglass")) == titles(results(client, "gelatine")) == [
        "Cloudy beer after a week"]

    moderation.review_hide(actor=host, post=hidden, reason="spam")
    conversations.post_delete(actor=member, post=deleted)

    for word in ("isinglass", "gelatine"):
        response = results(client, word)
        assert titles(response) == [] and "Nothing found" in text(response)
        assert "spam dot example" not in text(response)
    assert titles(results(client, "patience")) == ["Cloudy beer after a week"]


def test_a_thread_waiting_for_review_is_found_by_nobody(client_as, member, other_member,
                                                        host, space):
    start(member, space, "Secret isinglass recipe", body="Held isinglass text.",
          hold="first post")
    for reader in (None, member, other_member, host):
        client = client_as(reader) if reader else client_as(None)
        assert titles(results(client, "isinglass")) == []


def test_a_deleted_thread_is_not_found_by_its_answers(client, member, other_member,
                                                      question):
    answer(other_member, question, "Isinglass.")
    conversations.post_delete(actor=member, post=question.opening_post)
    assert titles(results(client, "isinglass")) == []


def test_a_merged_thread_is_found_once_under_the_thread_it_joined(
        client, member, other_member, host, space, question):
    duplicate = start(other_member, space, "Hazy homebrew", body="Why so hazy?")
    answer(member, duplicate, "Isinglass finings.")

    moderation.thread_merge(actor=host, source=duplicate, target=question)

    response = results(client, "isinglass")
    assert titles(response) == ["Cloudy beer after a week"]
    # The moved posts carry the title of the thread they are in now.
    assert titles(results(client, "cloudy isinglass")) == ["Cloudy beer after a week"]
    assert titles(results(client, "hazy")) == ["Cloudy beer after a week"]  # its text moved


# Edits and the page cache (on in every test)


def test_an_edited_answer_is_found_by_its_new_word_through_the_page_cache(
        client, member, other_member, question):
    fix = answer(other_member, question, "Try isinglass.")
    assert titles(results(client, "isinglass")) == ["Cloudy beer after a week"]
    assert titles(results(client, "gelatine")) == []  # both pages now kept for anonymous

    conversations.post_edit(actor=other_member, post=fix, body="Try gelatine.")

    assert titles(results(client, "gelatine")) == ["Cloudy beer after a week"]
    assert titles(results(client, "isinglass")) == []


def test_a_host_edit_of_an_answer_is_found_by_its_new_word(client, other_member, host,
                                                          question):
    fix = answer(other_member, question, "Call 555 0101 for isinglass.")
    results(client, "gelatine")

    moderation.review_edit(actor=host, post=fix, body="Ask for gelatine.", reason="phone")

    assert titles(results(client, "gelatine")) == ["Cloudy beer after a week"]


# The search box in the site header


@pytest.mark.parametrize("page", ["home", "thread", "search"])
def test_every_page_has_a_labelled_search_box_in_its_header(client, question, page):
    url = {"home": reverse("home"), "thread": question.get_absolute_url(),
           "search": reverse("search")}[page]
    body = client.get(url).content.decode()
    header = body.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    form = re.search(r'<form class="site-search"([^>]*)>(.*?)</form>', header, re.S)
    assert form is not None
    attributes, inside = form.groups()
    assert 'method="get"' in attributes and f'action="{reverse("search")}"' in attributes
    assert 'role="search"' in attributes
    assert '<label for="site-search-q"' in inside and 'id="site-search-q"' in inside
    assert 'name="q"' in inside and '<button type="submit"' in inside


def test_the_header_box_searches_without_javascript(client, member, other_member, question):
    answer(other_member, question, "Isinglass.")
    # A plain form submission: GET /search/?q=...
    assert titles(client.get(reverse("search") + "?q=isinglass")) == [
        "Cloudy beer after a week"]


# What a search page costs


def _community(size: int, members, space) -> None:
    for n in range(size):
        thread = start(members[n % 3], space, f"Kettle thread {n}", body=f"Body {n}.",
                       tags=["kettle", f"tag{n % 4}"])
        fix = answer(members[(n + 1) % 3], thread, "Kettle answer with yeast.")
        answer(members[n % 3], thread, "Thanks, fermentation it is.", parent=fix)


@pytest.mark.page_cache_off(reason="counts the queries of a search rendered afresh")
def test_a_search_page_costs_the_same_with_5_or_50_threads(client):
    members = [factories.UserFactory() for _ in range(3)]
    space = factories.SpaceFactory(name="Kettles")
    urls = [reverse("search") + q for q in (
        "?q=kettle+yeast", "?q=ferm", "?q=fermantation", "?q=kettle&kind=question&solved=no",
        "?q=nothingatall", "?tag=kettle", "?q=answer+yeast&by=members")]

    def costs():
        found = []
        for url in urls:
            client.get(url)
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            found.append(len(ctx.captured_queries))
        return found

    _community(5, members, space)
    small = costs()
    _community(45, members, space)
    assert Post.objects.count() == 50 * 3
    large = costs()
    assert small == large
    assert max(large) <= 15


def test_the_header_search_box_holds_the_words_searched_for(client, member):
    header_box = re.compile(r'<input type="search" id="site-search-q"[^>]*>')
    for viewer in (None, member):  # the header is kept per shape of viewer, filled per request
        if viewer:
            client.force_login(viewer)
        box = header_box.search(client.get(reverse("search"), {"q": 'yeast "nutrient'})
                                .content.decode()).group(0)
        assert 'value="yeast &quot;nutrient"' in box
        again = header_box.search(client.get(reverse("search"), {"q": "kettle"})
                                  .content.decode()).group(0)
        assert 'value="kettle"' in again
        assert "value=" not in header_box.search(
            client.get(reverse("home")).content.decode()).group(0)
