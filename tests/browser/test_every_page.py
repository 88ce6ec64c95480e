"""axe-core, a phone's width and valid HTML on one page of every kind a visitor can reach
on the demo.

``test_accessibility.py`` checks the pages members and hosts use most, in both themes;
this walks the links (``tests/crawl.py``) as each kind of visitor and runs axe once on
the first page of every view no earlier visitor reached, half in the light theme and half
in the dark one, all at 320 px, where nothing may stick out sideways; so a page nobody
listed is checked too; the Nu HTML checker reads each page's HTML as the server sent it.
The Django admin is Django's own."""
import json
import shutil
import subprocess
from urllib.parse import unquote

import pytest
from django.core.management import call_command
from django.test import Client

from community.demo.data import DEMO_PASSWORD
from tests.crawl import demo_visitors, walk

from .conftest import log_in
from .test_accessibility import AXE, OVERFLOW, VNU, _need, axe_serious

pytestmark = pytest.mark.django_db(transaction=True)

# Pages drawn by script after they load: what to wait for before axe reads them.
DRAWN = {"api:docs": ".opblock"}


def test_every_kind_of_page_passes_axe_fits_a_phone_and_is_valid_html(browser, live_server,
                                                                      settings, tmp_path):
    _need(AXE, VNU)
    if not shutil.which("java"):
        pytest.fail("java is needed for the Nu HTML checker")
    settings.ALLOWED_HOSTS = ["*"]
    call_command("seed_demo", allow_production=True, verbosity=0)  # a test database
    checked, found = set(), []
    for who, person in demo_visitors().items():
        client = Client()
        if person is not None:
            client.force_login(person)
        walked = walk(client, per_view=1)
        pages = {view: url for view, url in walked.pages.items()
                 if view not in checked and not view.startswith("admin:")}
        for view in pages:
            (tmp_path / f"{who} {view}.html".replace(":", "-")).write_bytes(walked.html[view])
        checked |= set(pages)
        context = browser.new_context(base_url=live_server.url, bypass_csp=True,
                                      viewport={"width": 320, "height": 640})
        context.set_default_timeout(10_000)
        tab = context.new_page()
        if person is not None:
            log_in(tab, person, DEMO_PASSWORD)
        for i, (view, url) in enumerate(sorted(pages.items())):
            theme = ("light", "dark")[i % 2]
            tab.emulate_media(color_scheme=theme)
            tab.goto(url)
            if view in DRAWN:
                tab.locator(DRAWN[view]).first.wait_for()
            label = f"{who}, {theme}: {url} ({view})"
            found += axe_serious(tab, label)
            fit = tab.evaluate(OVERFLOW)
            if fit["scroll"] > fit["width"] + 1:
                found.append(f"{label}: {fit['scroll']}px wide at 320px: {fit['wide']}")
        context.close()
    assert len(checked) >= 60, sorted(checked)
    validated = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json",
         *map(str, sorted(tmp_path.glob("*.html")))], capture_output=True, text=True,
        timeout=300, check=False)
    found += [f"{unquote(message.get('url', '').rsplit('/', 1)[-1])}: html line "
              f"{message.get('lastLine')}: {message.get('message')}"
              for message in json.loads(validated.stderr or '{"messages": []}')["messages"]
              if message.get("type") == "error"]
    assert not found, "\n".join(found)
