"""The committed OpenAPI schema (docs/openapi.yaml) is the one the code generates: a change
to the API changes the file in the same commit (the command is in the failure message)."""
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from .. import factories

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"


def test_the_committed_schema_is_the_generated_one(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(generated), "--validate")
    assert generated.read_text() == COMMITTED.read_text(), (
        "docs/openapi.yaml is out of date: run "
        "`python manage.py spectacular --file docs/openapi.yaml --validate` and commit it")


@pytest.mark.django_db
def test_the_schema_and_its_docs_page_are_served_from_this_host(client):
    schema = client.get(reverse("api:schema"), headers={"Accept": "application/json"})
    assert schema.status_code == 200 and "/api/v1/threads/" in schema.json()["paths"]
    docs = client.get(reverse("api:docs"))
    page = docs.content.decode()
    assert docs.status_code == 200 and "swagger-ui" in page
    # Swagger UI's files from the sidecar package, under our own static files: the CSP
    # ("self" only) lets the page load them, and nothing comes from another host.
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "https://" not in page.replace(settings_site(), "")
    assert "<style" not in page and "<script>" not in page  # style-src and script-src 'self'
    script = client.get(reverse("api:docs") + "?script=")
    assert script.status_code == 200 and b"SwaggerUIBundle" in script.content


def settings_site():
    from django.conf import settings

    return settings.SITE_URL


@pytest.mark.django_db
def test_a_browser_gets_the_browsable_page_for_any_list(client):
    client.force_login(factories.UserFactory())
    for name in ("api:thread-list", "api:space-list", "api:tag-list", "api:search"):
        page = client.get(reverse(name), headers={"Accept": "text/html"})
        assert page.status_code == 200 and "Django REST framework" in page.content.decode()
        assert "<style" not in page.content.decode()  # the site's CSP: style-src 'self'
