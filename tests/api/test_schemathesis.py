"""The whole API, from its committed schema (docs/openapi.yaml), against a live server:
Schemathesis generates requests for every operation (valid and invalid ones, anonymous and
with an admin's token of every scope) and checks that none is a 5xx and every response is
the schema's (status, content type, headers, body). Bounded: a few examples each."""
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from community.api import tokens
from community.models import Thread
from community.services import conversations

from .. import factories
from .conftest import app_token_for

SCHEMA = schemathesis.openapi.from_path(Path(__file__).resolve().parents[2] / "docs"
                                        / "openapi.yaml")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]
EXAMPLES = 6  # per operation: the whole run stays well under two minutes
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(live_server, settings):
    """A small community behind the live server, and an admin's token of every scope."""
    settings.API_THROTTLE = False
    admin = factories.AdminFactory()
    space = factories.SpaceFactory(name="Kettles", slug="kettles")
    asker, helper = factories.UserFactory(username="ada"), factories.UserFactory()
    question = conversations.thread_create(author=asker, space=space, kind=Thread.Kind.QUESTION,
                                           title="Which kettle for 20 litres?", body="Help",
                                           tags=["kettle"])
    answer = conversations.post_create(author=helper, thread=question, body="The 30 L one.")
    _, secret = tokens.token_create(user=admin, name="Schemathesis",
                                    scopes=["read", "write", "moderate", "admin"])
    app_secret = app_token_for(admin, "read", "write", "moderate", "admin")
    return {"base_url": f"{live_server.url}", "token": secret, "app_token": app_secret,
            "thread": question,
            "answer": answer, "space": space, "member": asker}


def test_every_operation_answers_within_its_schema(world):
    """One test for every operation (one database to flush, not one per operation), each
    with its own bounded run of generated requests, anonymous and with the token."""
    for operation in SCHEMA.get_all_operations():
        operation = operation.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            case.call_and_validate(base_url=world["base_url"], checks=CHECKS)
            case.call_and_validate(base_url=world["base_url"], checks=CHECKS,
                                   headers={"Authorization": f"Bearer {world['token']}"})

        run()


def test_real_objects_answer_within_the_schema(world):
    """The generated ids mostly name nothing: every GET once more on real objects,
    anonymous, with the personal token and with a third-party app's token."""
    values = {"id": world["thread"].pk, "slug": world["space"].slug,
              "username": world["member"].username}
    post_paths = ("/api/v1/posts/{id}/",)
    for operation in SCHEMA.get_all_operations():
        operation = operation.ok()
        if operation.method.upper() != "GET":
            continue
        params = {name: (world["answer"].pk if operation.path in post_paths and name == "id"
                         else values[name])
                  for name in (p.name for p in operation.path_parameters)}
        for headers in ({}, {"Authorization": f"Bearer {world['token']}"},
                        {"Authorization": f"Bearer {world['app_token']}"}):
            case = operation.Case(path_parameters=params)
            response = case.call_and_validate(base_url=world["base_url"], checks=CHECKS,
                                              headers=headers)
            expected = (200, 404) if headers else (200, 401, 404)
            assert response.status_code in expected, (operation.path, response.text[:300])
