"""On the demo community, no link a visitor is shown leads to an error page.

Every kind of visitor (anonymous, member, partner, host, site admin) walks the links of
every page it can reach from the home page (``tests/crawl.py``); a link answered with a
400, 403, 404 or 500 is a page that offers what it cannot give."""
import pytest
from django.core.management import call_command
from django.test import Client

from .crawl import demo_visitors, walk

pytestmark = pytest.mark.django_db


def test_every_link_on_the_demo_leads_to_a_page_for_every_kind_of_visitor():
    call_command("seed_demo", allow_production=True, verbosity=0)  # a test database
    broken, reached = [], {}
    for who, person in demo_visitors().items():
        client = Client()
        if who != "anonymous":
            assert person is not None, f"the demo has no {who}"
            client.force_login(person)
        walked = walk(client)
        reached[who] = len(walked.pages)
        broken += [f"{who}: {status} {url} (linked from {source})"
                   for status, url, source in walked.broken]
    assert not broken, "\n".join(broken)
    # The walk reached the community, not only the home page.
    assert reached["anonymous"] >= 15 and reached["host"] > reached["member"] >= 30, reached
