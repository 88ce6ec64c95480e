"""The purpose page: staff write it, every save is kept, the home page shows it."""
import pytest
from django.urls import reverse

from purpose.models import PurposeRevision

pytestmark = pytest.mark.django_db


def _save(client, statement, story="We brew together.", note=""):
    return client.post(reverse("purpose:purpose_edit"),
                       {"statement": statement, "story": story, "note": note})


def test_staff_edit_keeps_every_version_and_can_restore_one(client_as, host):
    client = client_as(host)
    assert _save(client, "We brew better beer together.").status_code == 302
    assert _save(client, "Every customer is a brewer.", note="Shorter").status_code == 302

    page = client.get(reverse("purpose:purpose")).content.decode()
    assert "Every customer is a brewer." in page and "We brew better beer" not in page
    history = client.get(reverse("purpose:purpose_history")).content.decode()
    assert "We brew better beer together." in history and "Shorter" in history

    first = PurposeRevision.objects.get(statement="We brew better beer together.")
    response = client.post(reverse("purpose:purpose_restore", args=[first.pk]), follow=True)
    assert "We brew better beer together." in response.content.decode()
    assert PurposeRevision.objects.count() == 3  # restoring adds a version, deletes none


def test_members_cannot_edit_the_purpose(client_as, member):
    response = client_as(member).post(reverse("purpose:purpose_edit"),
                                      {"statement": "Mine now", "story": "x"})
    assert response.status_code == 403
    assert "Only the host team edits" in response.content.decode()
    assert not PurposeRevision.objects.exists()


def test_story_markdown_is_sanitised_and_a_blank_form_keeps_what_was_typed(client_as, host):
    client = client_as(host)
    response = _save(client, "   ", story="Keep **this** text")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Write the purpose in a sentence." in body and "Keep **this** text" in body

    _save(client, "Safe statement", story='Hi <script>alert(1)</script> [x](javascript:alert(1))')
    page = client.get(reverse("purpose:purpose")).content.decode()
    assert "<script>alert" not in page and 'href="javascript' not in page
    assert "&lt;script&gt;alert(1)" in page  # shown as the text it is, not run


def test_home_shows_the_short_form_and_follows_a_new_version(
        client_as, host, member, django_capture_on_commit_callbacks):
    for reader in (None, member):  # both kept: the anonymous page, the member's purpose
        assert "Our shared purpose" not in client_as(reader).get(reverse("home")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        _save(client_as(host), "We brew better beer together.")
    for reader in (None, member):  # the new version bumped the site: both follow at once
        home = client_as(reader).get(reverse("home")).content.decode()
        assert "We brew better beer together." in home
        assert reverse("purpose:purpose") in home


def test_empty_purpose_page_says_so(client):
    page = client.get(reverse("purpose:purpose")).content.decode()
    assert "The purpose has not been written yet" in page
    assert "No projects yet" in page


def test_a_member_cannot_restore_an_old_purpose(client_as, host, member):
    from purpose import services

    first = services.purpose_revise(editor=host, statement="We brew together.", story="")
    services.purpose_revise(editor=host, statement="We brew better together.", story="")
    response = client_as(member).post(reverse("purpose:purpose_restore", args=[first.pk]))
    assert response.status_code == 403
    assert "Only the host team edits the shared purpose." in response.content.decode()
    from purpose import selectors

    assert selectors.purpose_current().statement == "We brew better together."
