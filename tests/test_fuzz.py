"""Fuzz: every URL, every role, every method, with input nobody should send. Never a 5xx.

Hypothesis draws, for each URL pattern: the role, the HTTP method, each path argument (the
real object's, a huge or zero id, a slug of noise, odd Unicode), the query string
(``page=10**9``, negative and non-numeric pages, NUL bytes, right-to-left marks, 1 MB
values) and the body (the form's own fields with hostile values, unknown fields, a 1 MB
field, malformed multipart and JSON). A client error (400, 403, 404, 405, 413, 429) is a
fine answer; a server error is a bug. The examples are derandomised so CI is repeatable;
``FUZZ_EXAMPLES=500`` explores further locally.
"""
import os

import pytest
from django.test import Client
from django.urls import get_resolver, reverse
from django.urls.converters import IntConverter, SlugConverter, StringConverter
from django.urls.resolvers import URLPattern, URLResolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import ROLES
from .test_permission_matrix import MATRIX, POST_MATRIX, _visitor, _world

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
MEGABYTE = "x" * (1 << 20)
ODD = st.sampled_from([
    "", " ", "\x00", "nul\x00byte", "\u202eevil\u202c", "\ufeff", "e\u0301", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "🍺" * 50, "%00", "../../etc/passwd", "<script>alert(1)</script>", "' OR 1=1 --",
    "\ud7ff\ue000", "a" * 5000, MEGABYTE, "0", "-1", "1e9", "NaN", "[]", "{}", "null",
]) | st.text(max_size=40)
PAGES = st.sampled_from(["1000000000", str(10**30), "-1", "0", "abc", "1.5", "", "\x00", "²"])
ROLES_SIGNED = [r for r in ROLES if r != "unverified"]  # anonymous already covers it


def _patterns(patterns=None, namespace=None):
    for p in (get_resolver().url_patterns if patterns is None else patterns):
        if isinstance(p, URLResolver):
            if (p.namespace or namespace) == "admin":
                continue
            yield from _patterns(p.url_patterns, p.namespace or namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), p.pattern.converters


CONVERTERS = dict(_patterns())


def _argument(converter):
    if isinstance(converter, IntConverter):
        return st.sampled_from([0, 1, 2**31, 2**63, 10**20]) | st.integers(0, 10**6)
    if isinstance(converter, SlugConverter):
        return st.from_regex(r"[-a-zA-Z0-9_]{1,300}", fullmatch=True)
    if isinstance(converter, StringConverter):
        return st.text(st.characters(blacklist_characters="/", blacklist_categories=("Cs",)),
                       min_size=1, max_size=300)
    return st.just("x")


def _fields(url_name):
    known = list(POST_MATRIX.get(url_name, (None, None, {}))[2])
    names = known + ["body", "title", "q", "page", "email", "password", "username", "next",
                     "is_staff", "author", "organisation", "score", "approved", "space"]
    return st.dictionaries(st.sampled_from(names), ODD | PAGES, max_size=8)


@pytest.fixture
def world_and_users(db):
    world = _world()
    return world, {role: _visitor(world, role) for role in ROLES_SIGNED}


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_no_input_makes_a_server_error(url_name, world_and_users):
    world, users = world_and_users
    converters = CONVERTERS[url_name]
    valid = MATRIX[url_name].kwargs(world, None)

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(
        role=st.sampled_from(ROLES_SIGNED),
        method=st.sampled_from(["get", "post", "post", "head", "options", "put", "patch",
                                "delete"]),
        arguments=st.fixed_dictionaries({
            name: st.just(valid[name]) | _argument(conv) if name in valid else _argument(conv)
            for name, conv in converters.items()}),
        query=st.dictionaries(st.sampled_from(["page", "q", "tab", "next", "status", "sort",
                                               "space", "kind", "title"]),
                              ODD | PAGES, max_size=4),
        body=_fields(url_name),
        shape=st.sampled_from(["form", "form", "multipart-garbage", "json", "bytes"]),
    )
    def attempt(role, method, arguments, query, body, shape):
        client = Client()
        if users[role] is not None:
            client.force_login(users[role])
        try:
            path = reverse(url_name, kwargs=arguments)
        except Exception:  # an argument its converter refuses is no request at all
            return
        send = getattr(client, method)
        if method in ("get", "head", "options"):
            response = send(path, query)
        elif shape == "form":
            response = send(path + "?" + _qs(query), body) if method == "post" else send(
                path, _qs(body), content_type="application/x-www-form-urlencoded")
        elif shape == "multipart-garbage":
            response = send(path, b"--xyz\r\nContent-Disposition: form-data; name=\"a\r\n\r\n",
                            content_type="multipart/form-data; boundary=xyz")
        elif shape == "json":
            response = send(path, '{"body": [1, {"a": null}], ', content_type="application/json")
        else:
            response = send(path, MEGABYTE.encode() + b"\xff\xfe",
                            content_type="application/octet-stream")
        assert response.status_code < 500, (
            f"{role} {method.upper()} {path} {query} {shape} {list(body)[:8]} "
            f"-> {response.status_code}")

    attempt()


def _qs(data):
    from urllib.parse import urlencode

    return urlencode(data)
