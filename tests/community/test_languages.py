"""Gravity in English, Spanish and Arabic: the visitor's browser or the footer's picker, a
member's saved choice, pages kept per language, Arabic laid out right to left, and search in
each space's language."""
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from community.content import search
from community.models import Post, Thread
from community.services import conversations

from .. import factories

pytestmark = pytest.mark.django_db


def _page(client, url="/", **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response, response.content.decode()


def test_the_same_anonymous_page_is_kept_in_each_language(client):
    english, html = _page(client, HTTP_ACCEPT_LANGUAGE="en")
    assert english["X-Page-Cache"] == "miss"
    assert '<html lang="en" dir="ltr">' in html and "Ask a question" in html

    arabic, html = _page(client, HTTP_ACCEPT_LANGUAGE="ar")
    assert arabic["X-Page-Cache"] == "miss", "the English page was served to an Arabic reader"
    assert '<html lang="ar" dir="rtl">' in html
    assert "اطرح سؤالًا" in html and "Ask a question" not in html
    assert arabic["Content-Language"] == "ar"

    again, html = _page(client, HTTP_ACCEPT_LANGUAGE="ar")
    assert again["X-Page-Cache"] == "hit" and "اطرح سؤالًا" in html
    again, html = _page(client, HTTP_ACCEPT_LANGUAGE="en")
    assert again["X-Page-Cache"] == "hit" and "Ask a question" in html


def test_kept_fragments_and_cards_follow_the_reader_language(client_as, kettle_question):
    reader = factories.UserFactory()
    url = kettle_question.get_absolute_url()
    conversations.post_create(author=factories.UserFactory(), thread=kettle_question,
                              body="The 30 litre one.")
    english = client_as(reader).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Post your answer" in english and ">Reply</a>" in english
    spanish = client_as(reader).get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Publicar tu respuesta" in spanish and ">Responder</a>" in spanish
    assert ">Reply</a>" not in spanish
    home = client_as(reader).get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Tus preguntas" in home and "Your questions" not in home


def test_a_visitor_picks_a_language_in_the_footer_without_javascript(client):
    html = _page(client)[1]
    assert f'action="{reverse("set_language")}"' in html and 'name="language"' in html
    assert "csrfmiddlewaretoken" not in html  # the page stays in the anonymous page cache
    client = Client(enforce_csrf_checks=True)  # a visitor's browser holds no token
    response = client.post(reverse("set_language"), {"language": "es", "next": "/search/"})
    assert response.status_code == 302 and response["Location"] == "/search/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    html = _page(client, "/search/", HTTP_ACCEPT_LANGUAGE="en")[1]
    assert '<html lang="es"' in html and "Buscar en la comunidad" in html


def test_a_member_reads_the_site_in_the_language_saved_on_their_profile(client_as):
    member = factories.UserFactory(language="es")
    html = client_as(member).get("/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="es" dir="ltr">' in html and "Hacer una pregunta" in html

    client_as(member).post(reverse("set_language"), {"language": "ar", "next": "/"})
    member.refresh_from_db()
    assert member.language == "ar"
    html = client_as(member).get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="ar" dir="rtl">' in html


def test_a_member_follows_the_browser_until_they_choose(client_as):
    member = factories.UserFactory(language="")
    html = client_as(member).get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="es"' in html
    html = client_as(member).get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en"' in html


def test_messages_and_form_errors_are_translated(client_as):
    member = factories.UserFactory(language="es")
    space = factories.SpaceFactory()
    response = client_as(member).post(reverse("ask"), {"space": space.pk, "title": "Hola",
                                                       "body": ""}, follow=True)
    html = response.content.decode()
    assert "Ponle un título de al menos 8 caracteres." in html


def test_dates_are_written_in_the_reader_language(client, kettle_question):
    html = _page(client, kettle_question.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es")[1]
    month = kettle_question.created_at.strftime("%m")
    spanish = {"01": "Ene", "02": "Feb", "03": "Mar", "04": "Abr", "05": "May", "06": "Jun",
               "07": "Jul", "08": "Ago", "09": "Sep", "10": "Oct", "11": "Nov", "12": "Dic"}
    assert f" {spanish[month]} " in html


def _vector(post) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM community_post WHERE id = %s", [post.pk])
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search is PostgreSQL's")
def test_posts_are_indexed_and_found_in_their_space_language():
    spanish = factories.SpaceFactory(name="Cerveceros", language="es")
    english = factories.SpaceFactory(name="Brewers", language="en")
    author = factories.UserFactory()
    hola = conversations.thread_create(
        author=author, space=spanish, kind=Thread.Kind.QUESTION,
        title="Fermentación lenta", body="Estoy corriendo con las levaduras y una canción")
    hello = conversations.thread_create(
        author=author, space=english, kind=Thread.Kind.QUESTION,
        title="Slow fermentation", body="The yeasts are running")
    opening = Post.objects.get(pk=hola.opening_post_id)
    vector = _vector(opening)
    assert "'corr'" in vector and "'levadur'" in vector  # Spanish stems
    assert "'las'" not in vector and "'con'" not in vector  # Spanish stop words
    assert "'run'" in _vector(Post.objects.get(pk=hello.opening_post_id))  # English stems
    hola.refresh_from_db()
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM community_thread WHERE id = %s",
                       [hola.pk])
        assert "'ferment'" in cursor.fetchone()[0]  # "fermentación", stemmed in Spanish

    # "canciones" finds "canción" only because both are stemmed as Spanish (no accent).
    assert [t.pk for t in search.search("canciones", correct=False).results] == [hola.pk]
    assert [t.pk for t in search.search("correr").results] == [hola.pk]
    assert [t.pk for t in search.search("running").results] == [hello.pk]
    assert hola.pk in [t.pk for t in search.similar_questions("levaduras corriendo")]


def test_each_site_language_has_a_text_search_configuration():
    with connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        installed = {row[0] for row in cursor.fetchall()}
    for code, _name in settings.LANGUAGES:
        assert search.regconfig(code) in installed


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search is PostgreSQL's")
def test_a_space_that_changes_language_is_indexed_again_in_it(admin_user, client):
    from tests.conftest import sign_in

    space = factories.SpaceFactory(name="Cerveceros")  # the site's language: English
    thread = conversations.thread_create(
        author=factories.UserFactory(), space=space, kind=Thread.Kind.QUESTION,
        title="Fermentación lenta", body="Una canción para las levaduras")
    assert search.search("canciones", correct=False).results == []  # as typed
    sign_in(client, admin_user)
    response = client.post(reverse("admin:community_space_change", args=[space.pk]), {
        "name": space.name, "slug": space.slug, "description": "", "position": 0,
        "language": "es"})
    assert response.status_code == 302
    assert [t.pk for t in search.search("canciones", correct=False).results] == [thread.pk]
