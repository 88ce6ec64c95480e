"""Fuzz: every URL, every role, every method, with input nobody should send. Never a 5xx.

Hypothesis draws, for each URL pattern: the role, the HTTP method, each path argument (the
real object's, a huge or zero id, a slug of noise, odd Unicode), the query string (every
parameter the view reads, found in its module's source, and the usual suspects, with
``page=10**9``, negative and non-numeric pages, NUL bytes, dates in year 1 and 9999, huge
day counts, right-to-left marks, 1 MB values) and the body (the form's own fields with
hostile values, unknown fields, a 1 MB field, malformed multipart and JSON). On top of the
draws, every parameter each view reads gets every value of ``HOSTILE`` once, and every URL
is asked for with Host headers the site does not serve. A client error (400, 403, 404, 405,
413, 429) is a fine answer; a server error is a bug. The examples are derandomised so CI is
repeatable; ``FUZZ_EXAMPLES=500`` explores further locally.
"""
import inspect
import os
import re

import pytest
from django.test import Client
from django.urls import get_resolver, reverse
from django.urls.converters import IntConverter, SlugConverter, StringConverter
from django.urls.resolvers import URLPattern, URLResolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import ROLES
from .test_permission_matrix import MATRIX, POST_MATRIX, _visitor

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
MEGABYTE = "x" * (1 << 20)
ODD = st.sampled_from([
    "", " ", "\x00", "nul\x00byte", "\u202eevil\u202c", "\ufeff", "e\u0301", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "🍺" * 50, "%00", "../../etc/passwd", "<script>alert(1)</script>", "' OR 1=1 --",
    "\ud7ff\ue000", "a" * 5000, MEGABYTE, "0", "-1", "1e9", "NaN", "[]", "{}", "null",
]) | st.text(max_size=40)
PAGES = st.sampled_from(["1000000000", str(10**30), "-1", "0", "abc", "1.5", "", "\x00", "²"])
# Values every parameter a view reads is sent once: control characters, dates at and past
# the calendar's ends, day counts and numbers no column holds, odd Unicode, redirects away.
HOSTILE = [
    "\x00", "a\x00b", "\x1b[2J", "0001-01-01", "9999-12-31", "10000-01-01", "0000-00-00",
    "2026-02-30", str(10**9), str(-(10**9)), str(10**30), "-1", "1e309", "NaN", "\u202eevil",
    "𝔘𝔫𝔦", "a" * 5000, "", "//evil.example/", "javascript:alert(1)",
]
DATES = st.sampled_from(["0001-01-01", "9999-12-31", "10000-01-01", "0000-00-00", "1-1-1",
                         "2026-02-30", str(10**9), str(-(10**9)), "-1"])
# Read by many views or by the libraries behind them (allauth's ``next``), wherever they are.
USUAL = ["page", "q", "tag", "sort", "tab", "next", "status", "space", "kind", "title",
         "since", "until", "days", "parent", "reply_to", "by", "solved", "activity"]
BAD_HOSTS = ["evil.example", "a b", "localhost:xyz", "", "[::1", "evil.example:80"]
ROLES_SIGNED = [r for r in ROLES if r != "unverified"]  # anonymous already covers it


def _patterns(patterns=None, namespace=None):
    for p in (get_resolver().url_patterns if patterns is None else patterns):
        if isinstance(p, URLResolver):
            if (p.namespace or namespace) == "admin":
                continue
            yield from _patterns(p.url_patterns, p.namespace or namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), p


PATTERNS = dict(_patterns())
CONVERTERS = {name: p.pattern.converters for name, p in PATTERNS.items()}
READS = re.compile(r"request\.GET(?:\.get\(|\[)\s*[\"'](\w+)[\"']")
BOUND = re.compile(r"(\w+)\(\s*request\.GET\b")


def _read_by_view(url_name) -> list[str]:
    """The query parameters the view's module reads (``request.GET.get("x")``,
    ``request.GET["x"]``, the fields of a form bound to ``request.GET``)."""
    module = inspect.getmodule(inspect.unwrap(PATTERNS[url_name].callback))
    try:
        source = inspect.getsource(module)
    except (OSError, TypeError):  # a library's view without source
        return []
    names = set(READS.findall(source))
    for form in BOUND.findall(source):
        names.update(getattr(getattr(module, form, None), "base_fields", {}))
    return sorted(names)


READ_BY_VIEW = {name: _read_by_view(name) for name in PATTERNS}
PARAMETERS = {name: own + [n for n in USUAL if n not in own]
              for name, own in READ_BY_VIEW.items()}


def test_the_parameter_table_knows_the_views():
    """The table is found, not written: a view reading a new parameter is fuzzed with it."""
    assert {"q", "tag", "space", "kind", "solved", "by"} <= set(PARAMETERS["search"])
    assert {"days", "since", "until"} <= set(PARAMETERS["host_dashboard"])
    assert {"activity", "page"} <= set(PARAMETERS["profile"])
    assert {"reply_to", "page"} <= set(PARAMETERS["thread"])
    assert {"status", "sort"} <= set(PARAMETERS["purpose:projects"])
    assert "reason" in PARAMETERS["member_suspend"]


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
def world_and_users(db, world):
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
        query=st.dictionaries(st.sampled_from(PARAMETERS[url_name]), ODD | PAGES | DATES,
                              max_size=4),
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


def _role_that_reaches(url_name) -> str:
    """A role the page opens for (200), so the view itself reads the parameters."""
    expected = MATRIX[url_name].expected
    return next((r for r in ROLES_SIGNED if expected.get(r) == 200), "admin")


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_every_parameter_a_view_reads_survives_every_hostile_value(url_name,
                                                                   world_and_users):
    world, users = world_and_users
    role = _role_that_reaches(url_name)
    client = Client()
    if users[role] is not None:
        client.force_login(users[role])
    path = reverse(url_name, kwargs=MATRIX[url_name].kwargs(world, users[role]))
    # The view's own parameters get each hostile value alone; every parameter, the usual
    # suspects too, gets each of them at once.
    names = PARAMETERS[url_name]
    queries = [{name: value} for name in READ_BY_VIEW[url_name] for value in HOSTILE] + [
        dict.fromkeys(names, value) for value in HOSTILE]
    failures = []
    for query in queries:
        status = client.get(path, query).status_code
        if status >= 500:
            failures.append(({k: v[:20] for k, v in query.items()}, status))
    # A control character in a path argument that takes any text (a username, a token).
    arguments = MATRIX[url_name].kwargs(world, users[role])
    for name, converter in CONVERTERS[url_name].items():
        if type(converter) is StringConverter:
            for value in ("a\x00b", "\x1b"):
                bad = reverse(url_name, kwargs={**arguments, name: value})
                for send in (client.get, client.post):
                    status = send(bad).status_code
                    if status >= 500:
                        failures.append((send.__name__, bad, status))
    # A control character in each field of the form the URL takes.
    if url_name in POST_MATRIX:
        _, kwargs, data = POST_MATRIX[url_name]
        target = reverse(url_name, kwargs=kwargs(world, users[role]))
        for field in [*data, "body", "title", "member", "reason", "email", "name", "q"]:
            status = client.post(target, {**data, field: "a\x00b"}).status_code
            if status >= 500:
                failures.append(("post", target, field, status))
    assert not failures, f"{role} GET {path}: {failures[:5]}"


@pytest.mark.django_db
@pytest.mark.parametrize("host", BAD_HOSTS)
def test_a_host_the_site_does_not_serve_gets_its_400_page(host, world_and_users, settings):
    """As in production (DEBUG off, one allowed host), for every URL and method."""
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["example.org"]
    world, users = world_and_users
    client = Client(raise_request_exception=False)
    client.force_login(users["member"])
    failures = []
    for n, url_name in enumerate(sorted(MATRIX)):
        path = reverse(url_name, kwargs=MATRIX[url_name].kwargs(world, users["member"]))
        method = (client.get, client.post, client.head)[n % 3]
        response = method(path, HTTP_HOST=host)
        # the API answers with its problem details, the pages with the 400 page
        if path.startswith("/api/"):
            said = (method == client.head or response["Content-Type"].startswith(
                "application/problem+json") and response.json()["status"] == 400)
        else:
            said = (method == client.head
                    or b"That request did not make sense" in response.content)
        if response.status_code != 400 or not said:
            failures.append((method.__name__, path, response.status_code))
    assert not failures, failures


def _qs(data):
    from urllib.parse import urlencode

    return urlencode(data)
