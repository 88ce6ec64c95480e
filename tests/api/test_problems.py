"""Every error the API answers is an RFC 9457 problem: application/problem+json with type,
title, status and detail, and one entry per refused field."""
import pytest
from django.urls import reverse

from .. import factories

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


def _problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("urn:gravity:problem:")
    assert body["title"] and body["detail"]
    return body


def test_an_address_no_resource_answers_is_a_404_problem(api):
    body = _problem(api().get("/api/v1/kettles/"), 404)
    assert body["type"] == "urn:gravity:problem:not-found"
    _problem(api().get(reverse("api:thread-detail", args=[999999])), 404)
    _problem(api().get(reverse("api:thread-detail", args=[10**30])), 404)
    _problem(api().get(reverse("api:member-detail", args=["nobody"])), 404)


def test_a_method_a_resource_does_not_take_is_a_405_problem_naming_the_allowed_ones(api):
    response = api(factories.UserFactory()).delete(reverse("api:thread-list"))
    _problem(response, 405)
    assert "GET" in response["Allow"] and "POST" in response["Allow"]


def test_a_refused_body_names_each_field(api, space):
    response = api(factories.UserFactory()).post(reverse("api:thread-list"), {
        "space": "nowhere", "title": "Hi", "kind": "poem"})
    body = _problem(response, 400)
    fields = {error["field"] for error in body["errors"]}
    assert fields == {"space", "title", "kind", "body"}
    assert body["type"] == "urn:gravity:problem:invalid"


def test_malformed_json_and_another_media_type_are_problems(api):
    client = api(factories.UserFactory())
    bad = client.client.post(reverse("api:thread-list"), "{not json", content_type=
                             "application/json", headers=client.headers)
    _problem(bad, 400)
    text = client.client.post(reverse("api:thread-list"), "title=x", content_type="text/plain",
                              headers=client.headers)
    _problem(text, 415)


def test_writing_without_a_token_is_a_401_problem_with_the_scheme(api, space):
    response = api().post(reverse("api:thread-list"), {"space": "kettles"})
    _problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_control_character_in_a_query_is_a_400_problem(api):
    _problem(api().get(reverse("api:thread-list"), {"space": "a\x00b"}), 400)


def test_a_service_s_rate_limit_is_a_429_problem(api, space, settings):
    from community.models import CommunitySettings

    settings.POSTING_RATE = True
    CommunitySettings.objects.update_or_create(pk=1, defaults={"member_posts_per_minute": 1})
    client = api(factories.UserFactory())
    payload = {"space": "kettles", "title": "First of many threads", "body": "One"}
    assert client.post(reverse("api:thread-list"), payload).status_code == 201
    payload["title"] = "Second of many threads"
    body = _problem(client.post(reverse("api:thread-list"), payload), 429)
    assert "you have reached that" in body["detail"]


def test_a_server_error_and_an_outage_under_the_api_are_problems_too(rf):
    import sys

    from django.db import OperationalError

    from community.views import errors

    request = rf.get("/api/v1/threads/")
    try:
        raise OperationalError("the database went away")
    except OperationalError:
        assert sys.exc_info()[0] is OperationalError
        outage = errors.server_error(request)
    assert outage.status_code == 503 and outage["Retry-After"] == str(errors.RETRY_AFTER)
    assert outage["Content-Type"] == PROBLEM
    bug = errors.server_error(request)
    assert bug.status_code == 500 and bug["Content-Type"] == PROBLEM
    page = errors.server_error(rf.get("/"))
    assert page.status_code == 500 and "text/html" in page["Content-Type"]


def test_a_body_past_the_request_limit_is_a_413_problem(api, settings):
    settings.REQUEST_MAX_BYTES = 100
    response = api(factories.UserFactory()).post(reverse("api:thread-list"), {"body": "x" * 200})
    _problem(response, 413)
