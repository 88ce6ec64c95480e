"""``manage.py import_orders``: matched by confirmed address, the rest kept hashed, idempotent."""
import io
import json
from datetime import date

import pytest
from allauth.account.signals import user_signed_up
from django.core.management import call_command
from django.core.management.base import CommandError

from community.models import EngagementEvent, Ownership, PendingOwnership, User

from .. import factories

CSV = """email,sku,date,order_ref
Ada@Example.com,KET-30,2026-03-03,SO-1
ada@example.com,FLT-2,2026-03-04,SO-2
new.buyer@example.com,KET-30,2026-05-01,SO-3
not-an-address,KET-30,2026-05-02,SO-4
ben@example.com,NO-SUCH,2026-05-03,SO-5
ben@example.com,KET-30,03/05/2026,SO-6
unverified@example.com,KET-30,2026-06-01,SO-7
"""


@pytest.fixture
def catalogue(db):
    return (factories.ProductFactory(sku="KET-30", name="Pro Kettle 30L"),
            factories.ProductFactory(sku="FLT-2", name="Filter Pack"))


def _run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_orders", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_orders_verify_accounts_keep_the_rest_hashed_and_list_bad_rows(tmp_path, catalogue):
    ada = factories.UserFactory(email="ada@example.com")
    factories.UserFactory(email="ben@example.com")
    factories.UserFactory(email="unverified@example.com", verified=False)
    path = tmp_path / "orders.csv"
    path.write_text(CSV)
    out, err = _run(path, "--no-progress")
    assert "7 rows: 2 verified ownerships, 2 kept for addresses with no account yet, " \
           "0 already known, 3 skipped." in out
    assert "line 5: 'not-an-address' is not an email address; skipped." in err
    assert "line 6: unknown SKU 'NO-SUCH'; skipped." in err
    assert "line 7: '03/05/2026' is not a date (write 2026-11-30); skipped." in err
    owned = {o.product.sku: o for o in Ownership.objects.filter(member=ada)}
    assert owned["KET-30"].is_verified and owned["KET-30"].purchased_on == date(2026, 3, 3)
    assert owned["KET-30"].order_ref == "SO-1"
    assert PendingOwnership.objects.count() == 2  # the new buyer and the unconfirmed address
    stored = " ".join(PendingOwnership.objects.values_list("email_digest", flat=True))
    assert "example" not in stored and "@" not in stored

    events = EngagementEvent.objects.count()
    out, _ = _run(path, "--no-progress")
    assert "0 verified ownerships, 0 kept for addresses with no account yet, " \
           "4 already known, 3 skipped." in out
    assert EngagementEvent.objects.count() == events
    assert Ownership.objects.count() == 2 and PendingOwnership.objects.count() == 2


def test_a_later_sign_up_arriving_verified_is_an_owner_at_once(tmp_path, catalogue):
    path = tmp_path / "orders.csv"
    path.write_text(CSV)
    _run(path, "--no-progress")
    newcomer = factories.UserFactory(email="New.Buyer@example.com")  # provider-verified
    user_signed_up.send(sender=User, request=None, user=newcomer)
    owned = Ownership.objects.get(member=newcomer)
    assert owned.is_verified and owned.purchased_on == date(2026, 5, 1)
    assert owned.source == Ownership.Source.ORDER
    assert PendingOwnership.objects.count() == 3  # the other addresses still wait


def test_json_orders_and_an_earlier_purchase_moves_the_date(tmp_path, catalogue):
    ada = factories.UserFactory(email="ada@example.com")
    path = tmp_path / "orders.json"
    path.write_text(json.dumps([
        {"email": "ada@example.com", "sku": "KET-30", "date": "2026-03-03"},
        {"email": "ada@example.com", "sku": "KET-30", "date": "2025-12-24T10:00:00Z",
         "order_ref": "XMAS"},
        {"email": "ada@example.com", "sku": "KET-30"},
        "not an object",
    ]))
    out, err = _run(path, "--no-progress")
    assert "4 rows: 2 verified ownerships" in out and "2 skipped" in out
    assert "item 3: '' is not a date" in err and "item 4: '' is not an email address" in err
    owned = Ownership.objects.get(member=ada)
    assert (owned.purchased_on, owned.order_ref) == (date(2025, 12, 24), "XMAS")


def test_the_progress_bar_counts_the_rows(tmp_path, catalogue):
    path = tmp_path / "orders.csv"
    path.write_text(CSV)
    _, err = _run(path)
    assert "Orders" in err and "7/7" in err


@pytest.mark.parametrize(("content", "says"), [
    ("sku,date\nKET-30,2026-01-01\n", "must name the columns email, sku and date"),
    ("[{", "is not valid JSON"),
    ('{"email": "a@example.com"}', "must be a list"),
])
def test_a_file_that_is_not_an_export_is_refused(tmp_path, db, content, says):
    path = tmp_path / ("orders.json" if content.startswith(("[", "{")) else "orders.csv")
    path.write_text(content)
    with pytest.raises(CommandError, match=says):
        _run(path, "--no-progress")


def test_a_missing_file_is_refused(tmp_path, db):
    with pytest.raises(CommandError, match="is not a file"):
        _run(tmp_path / "absent.csv")
