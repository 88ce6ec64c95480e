"""Home tabs, space pages, Atom feeds, search and profile activity."""
import html
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from community.models import SpaceFollow, Thread, User
from community.services import conversations

from .. import factories

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def visible(response) -> str:
    return html.unescape(response.content.decode())


def main_part(page: str) -> str:
    return page.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def start(author, space, title, body="Some details.", kind=Thread.Kind.QUESTION, tags=()):
    return conversations.thread_create(
        author=author, space=space, kind=kind, title=title, body=body, tags=tags
    )


def result_titles(response) -> list[str]:
    page = response.content.decode()
    return [
        html.unescape(re.sub(r"<[^>]+>", "", re.sub(r'<span class="badge.*?</span>', "", t)))
        .strip()
        for t in re.findall(r'<a class="thread-title"[^>]*>(.*?)</a>', page, re.S)
    ]


@pytest.fixture
def space(db):
    return factories.SpaceFactory(name="Tents")


@pytest.fixture
def other_space(db):
    return factories.SpaceFactory(name="Stoves")


# Home tabs


@pytest.mark.parametrize(
    ("tab", "empty_title"),
    [
        ("", "No conversations yet"),
        ("conversations", "No conversations yet"),
        ("latest", "No conversations yet"),
        ("unanswered", "Every question has an answer"),
        ("solved", "No solved questions yet"),
        ("nonsense", "No conversations yet"),
    ],
)
def test_home_tabs_show_an_empty_state_on_a_new_community(client, tab, empty_title):
    response = client.get(reverse("home"), {"tab": tab} if tab else {})
    assert response.status_code == 200
    assert f'<p class="empty-title">{empty_title}</p>' in visible(response)


def test_home_page_past_the_end_says_so(client, member, space):
    start(member, space, "A lonely question here")
    response = client.get(reverse("home"), {"tab": "latest", "page": "3"})
    assert response.status_code == 200
    assert "No more threads" in visible(response)


def test_home_with_htmx_returns_only_the_feed(client, member, space):
    start(member, space, "Which tent for windy ridges?")
    response = client.get(reverse("home"), {"tab": "latest"}, HTTP_HX_REQUEST="true")
    page = visible(response)
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="feed">')
    assert "<html" not in page
    assert "Newest members" not in page
    assert "Which tent for windy ridges?" in page
    assert '<a href="?tab=latest"' in page and 'aria-current="page">Latest</a>' in page


def test_unanswered_tab_lists_only_questions_without_answers(client, member, other_member,
                                                             space):
    start(member, space, "Unanswered stove question")
    answered = start(member, space, "Answered tent question")
    start(member, space, "Open chat about hikes", kind=Thread.Kind.DISCUSSION)
    conversations.post_create(author=other_member, thread=answered, body="Seam sealer.")

    titles = result_titles(client.get(reverse("home"), {"tab": "unanswered"}))
    assert titles == ["Unanswered stove question"]


def test_latest_tab_puts_recent_activity_first(client, member, other_member, space):
    older = start(member, space, "Older question about pegs")
    start(member, space, "Newer question about poles")
    conversations.post_create(author=other_member, thread=older, body="Titanium pegs.")

    titles = result_titles(client.get(reverse("home"), {"tab": "latest"}))
    assert titles == ["Older question about pegs", "Newer question about poles"]


def test_deleted_threads_are_not_listed(client, member, space):
    gone = start(member, space, "Thread that will vanish")
    start(member, space, "Thread that stays put")
    conversations.post_delete(actor=member, post=gone.opening_post)
    for tab in ("conversations", "latest", "unanswered"):
        titles = result_titles(client.get(reverse("home"), {"tab": tab}))
        assert titles == ["Thread that stays put"], tab


# Space pages


def test_space_page_lists_only_its_own_threads(client, member, space, other_space):
    start(member, space, "Guy lines keep slipping")
    start(member, other_space, "Burner will not light")

    response = client.get(space.get_absolute_url())
    assert response.status_code == 200
    page = visible(response)
    assert "<h1>Tents</h1>" in page
    assert result_titles(response) == ["Guy lines keep slipping"]
    assert result_titles(client.get(other_space.get_absolute_url())) == ["Burner will not light"]


def test_space_page_tabs_and_host_slot_stay_in_the_space(client, member, host, space,
                                                         other_space):
    start(host, space, "Tent recall notice", kind=Thread.Kind.ANNOUNCEMENT)
    start(host, other_space, "Stove firmware notice", kind=Thread.Kind.ANNOUNCEMENT)
    start(member, space, "Where to buy spare poles")

    page = visible(client.get(space.get_absolute_url()))
    assert "Tent recall notice" in page
    assert "Stove firmware notice" not in page
    unanswered = client.get(space.get_absolute_url(), {"tab": "unanswered"},
                            HTTP_HX_REQUEST="true")
    assert "<html" not in visible(unanswered)
    assert result_titles(unanswered) == ["Where to buy spare poles"]


def test_unknown_space_is_404(client):
    assert client.get(reverse("space", args=["no-such-space"])).status_code == 404


def test_following_and_unfollowing_a_space(client_as, member, space):
    client = client_as(member)
    response = client.post(reverse("space_follow", args=[space.slug]), {"follow": "1"},
                           follow=True)
    page = visible(response)
    assert "You follow Tents: new threads reach your inbox." in page
    assert "Watching first post ✓" in page  # following a space is watching its first posts
    assert SpaceFollow.objects.filter(user=member, space=space).count() == 1

    client.post(reverse("space_follow", args=[space.slug]), {"follow": "1"})
    assert SpaceFollow.objects.filter(user=member, space=space).count() == 1

    response = client.post(reverse("space_follow", args=[space.slug]), {"follow": "0"},
                           follow=True)
    assert f"You no longer follow {space.name}." in visible(response)
    assert not SpaceFollow.objects.filter(user=member, space=space).exists()


def test_anonymous_cannot_follow_a_space(client, space):
    response = client.post(reverse("space_follow", args=[space.slug]), {"follow": "1"})
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not SpaceFollow.objects.exists()


# Atom feeds


def _parse_atom(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314  (our own feed)
    assert root.tag == f"{ATOM}feed"
    return root


def test_latest_feed_is_atom_with_thread_titles_and_no_script(client, member, space,
                                                              other_space):
    start(member, space, "Condensation inside the tent",
          body="Vent it <script>alert('feed')</script> well.")
    start(member, other_space, "Simmer control on the Summit")

    root = _parse_atom(client.get(reverse("latest_feed")))

    entries = root.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert titles == ["Simmer control on the Summit", "Condensation inside the tent"]
    for entry in entries:
        assert entry.findtext(f"{ATOM}id")
        assert entry.find(f"{ATOM}link").get("href", "").startswith("http")
        summary = entry.findtext(f"{ATOM}summary") or ""
        assert "<script" not in summary.lower()
    condensation = entries[1].findtext(f"{ATOM}summary")
    assert "Vent it" in condensation


def test_space_feed_holds_only_that_space(client, member, space, other_space):
    start(member, space, "Condensation inside the tent")
    start(member, other_space, "Simmer control on the Summit")

    root = _parse_atom(client.get(reverse("space_feed", args=[space.slug])))

    assert "Tents" in root.findtext(f"{ATOM}title")
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert titles == ["Condensation inside the tent"]


def test_feed_leaves_out_deleted_threads(client, member, space):
    gone = start(member, space, "Soon to be deleted")
    conversations.post_delete(actor=member, post=gone.opening_post)
    root = _parse_atom(client.get(reverse("latest_feed")))
    assert root.findall(f"{ATOM}entry") == []


def test_space_feed_of_unknown_space_is_404(client):
    assert client.get(reverse("space_feed", args=["nowhere"])).status_code == 404


# Search


def test_search_finds_a_thread_by_a_word_in_its_body(client, member, space):
    start(member, space, "Waking up wet", body="There was condensation on every wall.")
    start(member, space, "Unrelated pole question", body="Aluminium or carbon?")

    response = client.get(reverse("search"), {"q": "condensation"})

    assert response.status_code == 200
    assert result_titles(response) == ["Waking up wet"]
    assert "<mark>condensation</mark>" in response.content.decode()


def test_text_after_markup_is_still_found(client, member, space):
    """Members write about HTML: words after a "<style>" or "<script>" are words too."""
    start(member, space, "Escaping <style> tags in templates",
          body="My <script> block broke the condensation chart.")

    for word in ("templates", "condensation"):
        assert result_titles(client.get(reverse("search"), {"q": word})) == [
            "Escaping <style> tags in templates"]


def test_title_matches_rank_above_body_matches(client, member, space):
    start(member, space, "Some general pitching tips", body="Mind the groundsheet here.")
    start(member, space, "Groundsheet sizing for two people", body="Which size do I need?")

    titles = result_titles(client.get(reverse("search"), {"q": "groundsheet"}))
    assert titles == ["Groundsheet sizing for two people", "Some general pitching tips"]


def test_member_written_markup_in_results_is_escaped(client, member, space):
    start(member, space, "Odd <script>alert('t')</script> zipper post",
          body="Trying <script>alert('x')</script> and <b>bold</b> when 5 < 6 & the zipper stuck.")

    response = client.get(reverse("search"), {"q": "zipper"})

    raw = main_part(response.content.decode())
    assert result_titles(response) == ["Odd <script>alert('t')</script> zipper post"]
    assert "<script" not in raw
    assert "<b>bold</b>" not in raw
    assert "Odd &lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt; zipper post" in raw
    snippet = re.search(r'<p class="snippet" dir="auto">(.*?)</p>', raw, re.S).group(1)
    assert "5 &lt; 6 &amp; the <mark>zipper</mark> stuck" in snippet
    assert re.findall(r"<(\w+)", snippet) == ["mark"]


def test_search_with_all_words_required(client, member, space):
    start(member, space, "Zipper stuck on the door", body="It jams halfway.")
    start(member, space, "Zipper pull replacement", body="Lost the pull.")
    assert result_titles(client.get(reverse("search"), {"q": "zipper door"})) == [
        "Zipper stuck on the door"
    ]


@pytest.fixture
def catalogue(member, other_member, host, space, other_space):
    """Lantern threads of every kind, status, author and place."""
    solved = start(member, space, "Lantern mantle keeps breaking", tags=["mantles"])
    fix = conversations.post_create(author=other_member, thread=solved, body="Burn it in.")
    conversations.answer_accept(actor=member, answer=fix)
    start(member, other_space, "Lantern fuel for winter")
    start(member, space, "Lantern photos from the trail", kind=Thread.Kind.DISCUSSION)
    start(host, space, "Lantern recall announced", kind=Thread.Kind.ANNOUNCEMENT)
    return solved


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"Lantern mantle keeps breaking", "Lantern fuel for winter",
              "Lantern photos from the trail", "Lantern recall announced"}),
        ({"kind": "question"}, {"Lantern mantle keeps breaking", "Lantern fuel for winter"}),
        ({"kind": "discussion"}, {"Lantern photos from the trail"}),
        ({"kind": "announcement"}, {"Lantern recall announced"}),
        ({"kind": "bogus"}, {"Lantern mantle keeps breaking", "Lantern fuel for winter",
                             "Lantern photos from the trail", "Lantern recall announced"}),
        ({"solved": "yes"}, {"Lantern mantle keeps breaking"}),
        ({"solved": "no"}, {"Lantern fuel for winter"}),
        ({"by": "staff"}, {"Lantern recall announced"}),
        ({"by": "members"}, {"Lantern mantle keeps breaking", "Lantern fuel for winter",
                             "Lantern photos from the trail"}),
        ({"space": "stoves"}, {"Lantern fuel for winter"}),
        ({"tag": "mantles"}, {"Lantern mantle keeps breaking"}),
        ({"space": "tents", "kind": "question"}, {"Lantern mantle keeps breaking"}),
    ],
    ids=lambda v: "-".join(f"{k}={x}" for k, x in v.items()) if isinstance(v, dict) else None,
)
def test_search_filters(client, catalogue, params, expected):
    response = client.get(reverse("search"), {"q": "lantern", **params})
    assert response.status_code == 200
    assert set(result_titles(response)) == expected


def test_tag_link_lists_tagged_threads_without_a_query(client, catalogue):
    response = client.get(reverse("search"), {"tag": "mantles"})
    page = visible(response)
    assert "Threads tagged “mantles”" in page
    assert result_titles(response) == ["Lantern mantle keeps breaking"]


def test_search_page_without_a_query_invites_one(client):
    response = client.get(reverse("search"))
    assert response.status_code == 200
    assert "What are you looking for?" in visible(response)


@pytest.mark.parametrize(
    "query",
    ["?!.,;:-", "'\"();--", "&&||!!", "lantern " * 1300, "x" * 10240, "a & | ! ( ) :*"],
    ids=["punctuation", "quotes", "operators", "10kb-words", "10kb-one-word", "tsquery"],
)
def test_odd_queries_give_an_empty_result_not_an_error(client, member, space, query):
    start(member, space, "Something to not find", body="Plain words only.")
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200
    assert result_titles(response) == []


def test_search_query_is_shown_escaped(client):
    response = client.get(reverse("search"), {"q": '<script>alert("q")</script>'})
    assert response.status_code == 200
    assert '<script>alert("q")' not in response.content.decode()


# Profiles


@pytest.fixture
def helper_profile(db, space):
    helper = factories.UserFactory(username="trailhelper", display_name="Tia Helper")
    asker = factories.UserFactory()
    voter = factories.UserFactory()
    asked = start(helper, space, "Best stakes for sand?")
    other = start(asker, space, "How to dry a tent fast")
    unaccepted = start(asker, space, "Seam tape peeling off")
    accepted = conversations.post_create(author=helper, thread=other, body="Shake and hang.")
    conversations.post_create(author=helper, thread=unaccepted, body="Iron it gently.")
    conversations.answer_accept(actor=asker, answer=accepted)
    conversations.vote_cast(voter=voter, post=accepted, kind="helpful")
    conversations.vote_cast(voter=asker, post=accepted, kind="helpful")
    return helper, asked


def test_profile_shows_activity_counts(client, helper_profile):
    helper, _ = helper_profile
    page = visible(client.get(helper.get_absolute_url()))
    assert "<strong>1</strong> question" in page
    assert "<strong>2</strong> answers" in page
    assert "<strong>1</strong> accepted answer" in page
    assert "<strong>2</strong> helpful votes received" in page


@pytest.mark.parametrize(
    ("activity", "shown", "hidden"),
    [
        ("questions", ["Best stakes for sand?"], ["How to dry a tent fast", "Seam tape"]),
        ("answers", ["How to dry a tent fast", "Seam tape peeling off"], ["Best stakes"]),
        ("accepted", ["How to dry a tent fast"], ["Seam tape peeling off", "Best stakes"]),
    ],
)
def test_profile_activity_tabs(client, helper_profile, activity, shown, hidden):
    helper, _ = helper_profile
    response = client.get(helper.get_absolute_url(), {"activity": activity})
    assert response.status_code == 200
    listing = visible(response).split('class="activity-list"', 1)[1].split("</ul>", 1)[0]
    for title in shown:
        assert title in listing
    for title in hidden:
        assert title not in listing


def test_profile_answer_links_go_to_the_answer(client, helper_profile):
    helper, _ = helper_profile
    page = visible(client.get(helper.get_absolute_url(), {"activity": "accepted"}))
    answer = helper.posts.get(body="Shake and hang.")
    assert f'href="{reverse("post_permalink", args=[answer.pk])}"' in page
    assert "2 found it helpful" in page


def test_profile_of_a_new_member_shows_empty_tabs(client, member):
    for activity, text in [("questions", "No questions yet."), ("answers", "No answers yet."),
                           ("accepted", "No accepted answers yet.")]:
        page = visible(client.get(member.get_absolute_url(), {"activity": activity}))
        assert text in page, activity


def test_profile_of_unknown_or_former_member_is_404(client, member):
    assert client.get(reverse("profile", args=["nobody_at_all"])).status_code == 404
    User.objects.filter(pk=member.pk).update(is_active=False)
    assert client.get(member.get_absolute_url()).status_code == 404


def test_profile_address_in_other_case_redirects_to_the_member(client):
    member = factories.UserFactory(username="RiverRat", display_name="Rita River")
    response = client.get(reverse("profile", args=["riverrat"]))
    assert response.status_code == 301
    assert response["Location"] == member.get_absolute_url()
