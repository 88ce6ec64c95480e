"""Attackers' first tries: markup marked safe outside the renderer, a forged cross-site
POST, and a GET that changes something."""
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from . import factories
from .test_permission_matrix import MATRIX, POST_MATRIX, _visitor, _world

ROOT = Path(__file__).resolve().parent.parent
CODE = [p for d in ("community", "purpose", "partners", "config")
        for p in (ROOT / d).rglob("*.py") if "migrations" not in p.parts]
TEMPLATES = list((ROOT / "templates").rglob("*.html"))
RENDERER = ROOT / "community" / "rendering.py"


def test_only_the_renderer_marks_strings_as_markup():
    marks = re.compile(r"\bmark_safe\b|\bSafeString\b|\bSafeText\b|\bformat_html\b")
    offenders = [str(p.relative_to(ROOT)) for p in CODE
                 if p != RENDERER and marks.search(p.read_text(encoding="utf-8"))]
    assert not offenders, f"markup marked safe outside community/rendering.py: {offenders}"
    unsafe = re.compile(r"\|\s*safe\b(?!_)|\{%\s*autoescape\s+off")
    offenders = [str(p.relative_to(ROOT)) for p in TEMPLATES
                 if unsafe.search(p.read_text(encoding="utf-8"))]
    assert not offenders, f"HTML templates that turn escaping off: {offenders}"


# The one URL that takes a POST without our token: RFC 8058 one-click unsubscribe, whose
# signed link is the key (tests/community/test_notify.py).
CSRF_EXEMPT = {"unsubscribe"}


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(set(POST_MATRIX) - CSRF_EXEMPT))
def test_a_post_without_the_csrf_token_is_refused(url_name):
    _, kwargs, data = POST_MATRIX[url_name]
    world = _world()
    user = _visitor(world, "staff")  # the role allowed the most
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    data = {k: (world["space"].pk if v == "SPACE" else v) for k, v in data.items()}
    response = client.post(reverse(url_name, kwargs=kwargs(world, user)), data)
    assert response.status_code == 403, f"{url_name} accepted a POST without a CSRF token"


def _rows() -> dict[str, int]:
    counted = [m for label in ("community", "purpose", "partners")
               for m in apps.get_app_config(label).get_models()]
    return {m._meta.label: m._base_manager.count() for m in counted}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "member", "partner", "staff"])
def test_no_get_changes_anything(client, role):
    world = _world()
    user = _visitor(world, role)
    if user is not None:
        client.force_login(user)
    factories.UserFactory()  # warm the sequence caches the counts below do not see
    before = _rows()
    changed = []
    for name, row in MATRIX.items():
        client.get(reverse(name, kwargs=row.kwargs(world, user)))
        after = _rows()
        if after != before:
            changed.append((name, {k: (before[k], after[k]) for k in after
                                   if after[k] != before[k]}))
            before = after
    assert not changed, f"GET requests that changed rows: {changed}"
