"""A member finds a product they once typed on their profile, says they own it by keyboard
(htmx swaps the button in place), and removes it in a browser without JavaScript."""
import pytest

from community.models import Ownership, User
from tests import factories

from .conftest import log_in, only_own_host

pytestmark = pytest.mark.django_db(transaction=True)


def test_say_i_own_it_then_remove_it_without_javascript(page, live_server, browser):
    kettle = factories.ProductFactory(sku="KET-30", name="Pro Kettle 30L")
    member = factories.UserFactory(display_name="Olga Owner")
    User.objects.filter(pk=member.pk).update(products="Pro Kettle 30L, Mystery Mash Tun")
    log_in(page, member)
    page.goto(f"/u/{member.username}/")
    page.get_by_text("Products you mentioned").wait_for()
    button = page.get_by_role("button", name="I own this")
    button.focus()
    page.keyboard.press("Enter")
    page.get_by_text("You own this").first.wait_for()
    assert Ownership.objects.filter(member=member, product=kettle).exists()
    only_own_host(page, live_server)

    plain = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = plain.new_page()
    tab.set_default_timeout(10_000)
    log_in(tab, member)
    tab.goto(f"/u/{member.username}/")
    tab.get_by_role("button", name="Remove Pro Kettle 30L from the products you own").first.click()
    tab.get_by_text("is no longer among the products you own").wait_for()
    assert not Ownership.objects.filter(member=member).exists()
    plain.close()
