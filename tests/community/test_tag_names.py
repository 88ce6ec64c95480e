"""Tags keep letters and emoji of any script; markup and mixed alphabets are refused with a
sentence, on the ask form, the host's tag form and in the service itself."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from community.content.tags import problem, tag_name
from community.models import Tag, Thread
from community.services import conversations, moderation

from .. import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed, name", [
    ("Yeast", "yeast"), ("Dry Hopping", "dry-hopping"), ("🍺", "🍺"), ("שלום", "שלום"),
    ("Bière", "bière"), ("ＩＰＡ", "ipa"), ("пиво", "пиво"), ("ph_levels", "ph_levels"),
    ("  -- kettle -- ", "kettle"), ("👨‍🍳", "👨‍🍳"), ("c++", "c"),
])
def test_names_keep_every_script_and_emoji(typed, name):
    assert tag_name(typed) == name and not problem(typed)


def test_existing_ascii_tags_keep_their_names():
    from django.utils.text import slugify

    for typed in ("yeast", "all-grain", "Belgian Ale", "abv", "home_brew", "IPA 2"):
        assert tag_name(typed) == slugify(typed)


def test_markup_and_mixed_alphabets_are_refused_with_a_sentence():
    assert "rather than" in problem("<b>x</b>") and "“x”" in problem("<b>x</b>")
    assert "different alphabets" in problem("y\u0435ast")  # a Cyrillic е among Latin letters


def test_the_ask_form_keeps_what_was_typed_and_says_why(client):
    space = factories.SpaceFactory(name="Kettles")
    client.force_login(factories.UserFactory())
    typed = "<b>x</b>, 🍺, yeast, שלום"
    response = client.post(reverse("ask"), {
        "space": space.pk, "title": "Which kettle for twenty litres?",
        "body": "Advice please, steel or aluminium?", "tags": typed})
    assert response.status_code == 400 or response.status_code == 200
    page = response.content.decode()
    assert "Tags are plain words" in page
    assert "Advice please, steel or aluminium?" in page  # nothing typed is lost
    assert not Thread.objects.exists()
    response = client.post(reverse("ask"), {
        "space": space.pk, "title": "Which kettle for twenty litres?",
        "body": "Advice please, steel or aluminium?", "tags": "x, 🍺, yeast, שלום"})
    assert response.status_code == 302
    assert set(Thread.objects.get().tags.values_list("name", flat=True)) == {
        "x", "🍺", "yeast", "שלום"}


def test_the_service_refuses_what_the_forms_refuse():
    author, host = factories.UserFactory(), factories.HostFactory()
    space = factories.SpaceFactory()
    with pytest.raises(ValidationError, match="different alphabets"):
        conversations.thread_create(author=author, space=space, kind="question",
                                    title="Spoofed tag", body="x", tags=["y\u0435ast"])
    thread = conversations.thread_create(author=author, space=space, kind="question",
                                         title="Fine tags", body="x", tags=["yeast"])
    with pytest.raises(ValidationError, match="plain words"):
        moderation.thread_tags_set(actor=host, thread=thread, names=["<i>hops</i>"])
    assert list(thread.tags.values_list("name", flat=True)) == ["yeast"]
    assert not Tag.objects.filter(name__in=["hops", "yеast"]).exists()


def test_a_tag_in_another_script_links_to_its_page_and_its_search(client):
    thread = conversations.thread_create(author=factories.UserFactory(),
                                         space=factories.SpaceFactory(), kind="question",
                                         title="Hebrew beer words", body="?", tags=["שלום"])
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "/tags/%D7%A9%D7%9C%D7%95%D7%9D/" in page and "<bdi>שלום</bdi>" in page
    tag_page = client.get("/tags/%D7%A9%D7%9C%D7%95%D7%9D/").content.decode()
    assert "Hebrew beer words" in tag_page and "?tag=%D7%A9%D7%9C%D7%95%D7%9D" in tag_page
    found = client.get("/search/?tag=%D7%A9%D7%9C%D7%95%D7%9D").content.decode()
    assert "Hebrew beer words" in found


def test_the_tag_filter_of_a_search_can_be_removed(client):
    conversations.thread_create(author=factories.UserFactory(), space=factories.SpaceFactory(),
                                kind="question", title="Yeast for a saison", body="?",
                                tags=["yeast"])
    page = client.get("/search/?q=saison&tag=yeast&kind=question").content.decode()
    assert "Remove the tag filter “yeast”" in page
    assert 'href="?q=saison&amp;kind=question"' in page
