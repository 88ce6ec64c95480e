"""Tag pages: the index of tags in use, a tag's own thread list, following a tag."""
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.models import EngagementEvent, Tag, TagFollow, TagSynonym, Thread
from community.services import conversations

from .. import factories

pytestmark = pytest.mark.django_db


def start(title, *, tags, kind=Thread.Kind.QUESTION, space=None, author=None):
    return conversations.thread_create(
        author=author or factories.UserFactory(), space=space or factories.SpaceFactory(),
        kind=kind, title=title, body="Some details.", tags=tags)


def titles(response) -> list[str]:
    page = response.content.decode()
    return [html.unescape(re.sub(r"<[^>]+>", "", re.sub(r'<span class="badge.*?</span>', "", t)))
            .strip() for t in re.findall(r'<a class="thread-title"[^>]*>(.*?)</a>', page, re.S)]


def test_the_index_lists_the_tags_in_use_busiest_first_with_their_counts(client):
    start("Which yeast for a lager?", tags=["yeast", "lager"])
    start("Dry yeast or liquid?", tags=["yeast"])
    hidden = start("Spam about yeast", tags=["spam-only"])
    Thread.objects.filter(pk=hidden.pk).update(is_hidden=True)
    Tag.objects.create(name="unused")
    page = html.unescape(client.get(reverse("tags")).content.decode())
    assert page.index("#yeast") < page.index("#lager")
    assert "2 threads" in page and "1 thread" in page
    assert "#spam-only" not in page and "#unused" not in page


def test_the_index_pages_its_tags_and_says_when_the_list_ends(client):
    thread = start("Everything at once", tags=["first"])
    tags = Tag.objects.bulk_create(Tag(name=f"topic-{n:02}") for n in range(60))
    Thread.tags.through.objects.bulk_create(
        Thread.tags.through(thread=thread, tag=tag) for tag in tags)
    first = client.get(reverse("tags")).content.decode()
    assert first.count('class="tag-index-name"') == 60 and "Quieter tags" in first
    second = client.get(reverse("tags"), {"page": 2}).content.decode()
    assert second.count('class="tag-index-name"') == 1 and "Busier tags" in second
    third = client.get(reverse("tags"), {"page": 3}).content.decode()
    assert "No more tags" in third


def test_with_no_tags_the_index_says_how_tags_come(client):
    page = client.get(reverse("tags")).content.decode()
    assert "No tags yet" in page and reverse("ask") in page


def test_a_tags_page_lists_its_threads_only_in_every_tab(client):
    start("Which yeast for a lager?", tags=["yeast"])
    solved = start("Dry yeast or liquid?", tags=["yeast"])
    answer = conversations.post_create(author=factories.UserFactory(), thread=solved,
                                       body="Dry keeps.")
    conversations.answer_accept(actor=solved.author, answer=answer)
    start("Which kettle?", tags=["kettles"])
    Tag.objects.filter(name="yeast").update(description="Strains, pitching and starters.")
    url = reverse("tag", args=["yeast"])
    page = client.get(url)
    text = html.unescape(page.content.decode())
    assert sorted(titles(page)) == ["Dry yeast or liquid?", "Which yeast for a lager?"]
    assert "Strains, pitching and starters." in text and "2 threads" in text
    assert f'{reverse("ask")}?tag=yeast' in text
    assert titles(client.get(url, {"tab": "unanswered"})) == ["Which yeast for a lager?"]
    assert titles(client.get(url, {"tab": "solved"})) == ["Dry yeast or liquid?"]


def test_thread_rows_link_their_tags_to_the_tags_page(client):
    start("Which yeast for a lager?", tags=["yeast"])
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("tag", args=["yeast"])}"' in home


def test_searching_by_a_tag_leads_to_the_tags_page(client):
    start("Which yeast for a lager?", tags=["yeast"])
    page = client.get(reverse("search"), {"tag": "yeast"}).content.decode()
    assert f'href="{reverse("tag", args=["yeast"])}"' in page


def test_a_synonym_leads_to_its_tag_and_an_unknown_name_is_a_404(client):
    start("Which yeast for a lager?", tags=["yeast"])
    TagSynonym.objects.create(name="levure", tag=Tag.objects.get(name="yeast"))
    moved = client.get(reverse("tag", args=["levure"]))
    assert moved.status_code == 301 and moved["Location"] == reverse("tag", args=["yeast"])
    assert client.get(reverse("tag", args=["nothing-here"])).status_code == 404


def test_following_a_tag_puts_its_threads_in_for_you_and_unfollowing_undoes_it(client):
    member = factories.UserFactory()
    start("Which yeast for a lager?", tags=["yeast"])
    client.force_login(member)
    url = reverse("tag", args=["yeast"])
    assert "Follow tag" in client.get(url).content.decode()
    followed = client.post(reverse("tag_follow", args=["yeast"]), {"follow": "1"}, follow=True)
    assert "You follow #yeast" in html.unescape(followed.content.decode())
    assert "Following ✓" in followed.content.decode()
    assert TagFollow.objects.filter(user=member, tag__name="yeast").exists()
    assert EngagementEvent.objects.filter(kind="followed", actor=member).count() == 1
    home = client.get(reverse("home")).content.decode()
    for_you = home.split("For you", 1)[1].split("Your questions", 1)[0]
    assert "Which yeast for a lager?" in for_you
    index = client.get(reverse("tags")).content.decode()
    assert ">Following<" in index

    client.post(reverse("tag_follow", args=["yeast"]), {"follow": "0"})
    assert not TagFollow.objects.filter(user=member).exists()
    assert "Which yeast for a lager?" not in client.get(reverse("home")).content.decode().split(
        "For you", 1)[1].split("Everything in the community", 1)[0]


def test_following_from_a_page_that_swaps_the_button_in_place(client):
    start("Which yeast for a lager?", tags=["yeast"])
    client.force_login(factories.UserFactory())
    partial = client.post(reverse("tag_follow", args=["yeast"]), {"follow": "1"},
                          HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    body = partial.content.decode()
    assert body.lstrip().startswith("<form") and 'aria-pressed="true"' in body
    assert 'name="follow" value="0"' in body
    assert f'action="{reverse("tag_follow", args=["yeast"])}"' in body


def test_an_anonymous_reader_sees_a_new_thread_and_a_new_description_at_once(client):
    from django.test import Client

    start("Which yeast for a lager?", tags=["yeast"])
    url = reverse("tag", args=["yeast"])
    member, host = Client(), Client()
    member.force_login(factories.UserFactory())
    host.force_login(factories.HostFactory())
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    for reader in (member, host):  # their thread list comes from the shared fragment
        assert titles(reader.get(url)) == ["Which yeast for a lager?"]
    start("Harvesting yeast from a bottle", tags=["yeast"])
    assert "Harvesting yeast from a bottle" in titles(client.get(url))
    for reader in (member, host):
        assert "Harvesting yeast from a bottle" in titles(reader.get(url))
    tag = Tag.objects.get(name="yeast")
    tag.description = "All about strains."  # edited in the admin
    tag.save()
    assert "All about strains." in client.get(url).content.decode()
    assert "#yeast" in html.unescape(client.get(reverse("tags")).content.decode())


def test_asking_from_a_tags_page_starts_with_the_tag(client):
    start("Which yeast for a lager?", tags=["yeast"])
    client.force_login(factories.UserFactory())
    form = client.get(reverse("ask"), {"tag": "yeast"}).context["form"]
    assert form.initial["tags"] == "yeast"
    TagSynonym.objects.create(name="levure", tag=Tag.objects.get(name="yeast"))
    assert client.get(reverse("ask"), {"tag": "levure"}).context["form"].initial["tags"] == (
        "yeast")
    unknown = client.get(reverse("ask"), {"tag": "not-a-tag"}).context["form"]
    assert "tags" not in unknown.initial


@pytest.mark.page_cache_off(reason="counts the queries of a page rendered afresh")
def test_a_tags_page_and_the_index_cost_the_same_with_3_or_30_threads(client):
    """Anonymous: 5 queries for a tag page, 1 for the index; a member's pages add at most
    4 (their session and account, the tags they follow), at any size."""
    member = factories.UserFactory()

    def queries(as_member):
        if as_member:
            client.force_login(member)
        else:
            client.logout()
        counts = []
        for url in (reverse("tag", args=["yeast"]), reverse("tags")):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    space = factories.SpaceFactory()
    for n in range(3):
        start(f"Question {n}", tags=["yeast", f"other-{n}"], space=space)
    small = queries(False), queries(True)
    for n in range(3, 30):
        start(f"Question {n}", tags=["yeast", f"other-{n}"], space=space)
    assert (queries(False), queries(True)) == small
    assert small[0] == [5, 1] and all(b - a <= 4 for a, b in zip(*small, strict=True)), small


def test_a_tag_has_an_atom_feed_of_its_threads(client):
    import xml.etree.ElementTree as ET

    start("Which yeast for a lager?", tags=["yeast"])
    start("Which kettle?", tags=["kettles"])
    assert reverse("tag_feed", args=["yeast"]) in client.get(
        reverse("tag", args=["yeast"])).content.decode()
    response = client.get(reverse("tag_feed", args=["yeast"]))
    assert response["Content-Type"].startswith("application/atom+xml")
    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.fromstring(response.content)  # noqa: S314  (our own feed)
    assert "#yeast" in root.findtext(f"{atom}title")
    assert [e.findtext(f"{atom}title") for e in root.findall(f"{atom}entry")] == [
        "Which yeast for a lager?"]
    assert client.get(reverse("tag_feed", args=["nothing"])).status_code == 404
