"""``manage.py import_products``: the shop's feed, by SKU, on a real database."""
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image

from community.models import EngagementEvent, Product, ProductImage

from .. import factories

HEADER = "sku,name,line,description,shop_url,parent_sku,tag,image,active\n"


def _csv(tmp_path, body, name="feed.csv", header=HEADER):
    path = tmp_path / name
    path.write_bytes((header + body).encode() if isinstance(body, str) else
                     header.encode() + body)
    return path


def _run(path, *args):
    out = io.StringIO()
    call_command("import_products", str(path), "--no-progress", *args, stdout=out)
    return out.getvalue()


def _photo(path, colour=(200, 40, 40)):
    Image.new("RGB", (64, 48), colour).save(path, "JPEG")
    return path


@pytest.fixture
def host(db):
    return factories.HostFactory(username="hana")


KETTLE = ("K30,Summit kettle 30 L,Summit,Stainless with a tap.,https://shop.example.com/k30,,"
          "kettles,,true\n")
FILTER = "F30,Hop filter,Summit,Fits the 30 L.,https://shop.example.com/f30,K30,,,yes\n"


def test_a_feed_goes_in_and_a_second_run_changes_nothing(tmp_path, host):
    path = _csv(tmp_path, KETTLE + FILTER)
    out = _run(path)
    assert "2 created, 0 updated, 0 unchanged" in out
    kettle, hop_filter = Product.objects.get(sku="K30"), Product.objects.get(sku="F30")
    assert kettle.name == "Summit kettle 30 L" and kettle.tag.name == "kettles"
    assert kettle.slug == "summit-kettle-30-l" and kettle.is_active
    assert hop_filter.parent == kettle and list(kettle.accessories.all()) == [hop_filter]
    events = EngagementEvent.objects.filter(kind="products_imported").count()
    stamp = Product.objects.get(sku="K30").updated_at

    again = _run(path)
    assert "0 created, 0 updated, 2 unchanged" in again
    assert Product.objects.count() == 2
    assert EngagementEvent.objects.filter(kind="products_imported").count() == events
    assert Product.objects.get(sku="K30").updated_at == stamp


def test_a_changed_row_is_updated_and_its_address_stays(tmp_path, host):
    _run(_csv(tmp_path, KETTLE + FILTER))
    changed = KETTLE.replace("Summit kettle 30 L", "Summit kettle 30 L (2026)").replace(
        "true", "false")
    out = _run(_csv(tmp_path, changed + FILTER))
    assert "0 created, 1 updated, 1 unchanged" in out
    kettle = Product.objects.get(sku="K30")
    assert kettle.name == "Summit kettle 30 L (2026)" and not kettle.is_active
    assert kettle.slug == "summit-kettle-30-l"  # links to its page keep working
    event = EngagementEvent.objects.filter(kind="products_imported").last()
    assert event.payload["products"] == [kettle.pk] and event.payload["updated"] == 1


def test_bad_rows_are_listed_with_their_line_and_skipped(tmp_path, host):
    body = (KETTLE
            + ",No SKU here,Summit,,,,,,\n"  # line 3
            + "K30,Kettle again,Summit,,,,,,\n"  # line 4: duplicate
            + "A1,Orphan accessory,Summit,,,NOPE,,,\n"  # line 5: unknown parent
            + "B1,Bad address,Summit,,ftp://shop.example.com/b1,,,,\n"  # line 6
            + f"L1,{'x' * 201},Summit,,,,,,\n"  # line 7: name too long
            + "S1,Self,Summit,,,S1,,,\n"  # line 8: its own parent
            + "Q1,Maybe,Summit,,,,,,perhaps\n"  # line 9
            + "E1,Escaping image,Summit,,,,,../secret.jpg,\n"  # line 10
            + "M1,Missing image,Summit,,,,,nowhere.jpg,\n"  # line 11
            + "W1,Wrong width\n"  # line 12
            + "OK1,Fine grain mill,Summit,,,,,,\n")
    out = _run(_csv(tmp_path, body))
    assert "2 created, 0 updated, 0 unchanged; 0 photos added; 10 rows skipped." in out
    for line, words in [(3, "needs its SKU"), (4, "on line 2 already"),
                        (5, "no product has the parent SKU NOPE"), (6, "not a web address"),
                        (7, "name is too long"), (8, "its own accessory"),
                        (9, "active is 'perhaps'"), (10, "inside the feed's folder"),
                        (11, "no image file"), (12, "2 fields where the header has 9")]:
        assert f"Skipped line {line}: " in out and words in out.split(
            f"Skipped line {line}: ")[1].splitlines()[0], (line, out)
    assert set(Product.objects.values_list("sku", flat=True)) == {"K30", "OK1"}
    assert Product.objects.get(sku="K30").name == "Summit kettle 30 L"  # the first one


def test_text_that_is_not_utf8_skips_only_its_row(tmp_path, host):
    body = KETTLE.encode() + "C1,Caf\u00e9 kettle,Summit,,,,,,\n".encode("latin-1") + (
        FILTER.encode())
    out = _run(_csv(tmp_path, body))
    assert "Skipped line 3: the text is not UTF-8" in out
    assert set(Product.objects.values_list("sku", flat=True)) == {"K30", "F30"}


def test_an_accessory_may_come_before_its_main_product(tmp_path, host):
    out = _run(_csv(tmp_path, FILTER + KETTLE))
    assert "2 created" in out and "skipped" in out and "0 rows skipped" in out
    assert Product.objects.get(sku="F30").parent.sku == "K30"
    assert "0 created, 0 updated, 2 unchanged" in _run(_csv(tmp_path, FILTER + KETTLE))


def test_a_family_moves_when_the_feed_says_so(tmp_path, host):
    other = "K50,Summit kettle 50 L,Summit,,,,,,\n"
    _run(_csv(tmp_path, KETTLE + other + FILTER))
    out = _run(_csv(tmp_path, KETTLE + other + FILTER.replace(",K30,", ",K50,")))
    assert "0 created, 1 updated, 2 unchanged" in out
    assert Product.objects.get(sku="F30").parent.sku == "K50"
    out = _run(_csv(tmp_path, KETTLE + other + FILTER.replace(",K30,", ",,")))
    assert Product.objects.get(sku="F30").parent is None and "1 updated" in out


def test_an_accessory_of_an_accessory_is_reported(tmp_path, host):
    out = _run(_csv(tmp_path, KETTLE + FILTER + "G1,Filter gasket,Summit,,,F30,,,\n"))
    assert "Imported line 4: its main product F30 is itself an accessory" in out


def test_columns_the_feed_lacks_are_left_alone(tmp_path, host):
    product = factories.ProductFactory(sku="K30", name="Old name", description="Kept.")
    out = _run(_csv(tmp_path, "K30,Summit kettle 30 L\n", header="sku,name\n"))
    assert "1 updated" in out
    product.refresh_from_db()
    assert product.name == "Summit kettle 30 L" and product.description == "Kept."


def test_a_feed_without_a_sku_column_is_refused(tmp_path, host):
    with pytest.raises(CommandError, match="no sku column"):
        _run(_csv(tmp_path, "Kettle\n", header="name\n"))


def test_photos_go_through_the_media_pipeline_once(tmp_path, host):
    _photo(tmp_path / "k30.jpg")
    path = _csv(tmp_path, KETTLE.replace(",kettles,,", ",kettles,k30.jpg,"))
    assert "1 photos added" in _run(path)
    kettle = Product.objects.get(sku="K30")
    (image,) = kettle.images.select_related("image")
    assert image.image.alt_text == "Summit kettle 30 L" and image.image.uploader == host
    assert image.image.variants  # re-encoded and stored
    assert "0 photos added" in _run(path) and ProductImage.objects.count() == 1
    _photo(tmp_path / "k30.jpg", colour=(10, 200, 10))  # the shop's new picture
    out = _run(path)
    assert "1 photos added" in out and "1 updated" in out
    assert kettle.images.count() == 1 and kettle.images.get().pk != image.pk


def test_a_file_that_is_not_an_image_is_refused_and_the_product_kept(tmp_path, host):
    (tmp_path / "k30.jpg").write_bytes(b"<html><script>alert(1)</script></html>")
    out = _run(_csv(tmp_path, KETTLE.replace(",kettles,,", ",kettles,k30.jpg,")))
    assert "Imported line 2: the photo was refused" in out
    assert Product.objects.filter(sku="K30").exists() and not ProductImage.objects.exists()


def test_json_array_and_json_lines(tmp_path, host):
    items = [{"sku": "K30", "name": "Summit kettle 30 L", "active": True, "parent_sku": None},
             {"sku": "F30", "name": "Hop filter", "parent_sku": "K30"},
             {"name": "No SKU"}, ["not", "an", "object"]]
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(items, indent=2))
    out = _run(path)
    assert "2 created" in out and "2 rows skipped" in out
    assert "Skipped line 13: A product needs its SKU" in out
    assert "Skipped line 16: not a product" in out
    lines = tmp_path / "feed.jsonl"
    lines.write_text(json.dumps(items[0]) + "\n{broken\n" + json.dumps(
        {"sku": "F30", "name": "Hop filter v2", "parent_sku": "K30"}) + "\n")
    out = _run(lines)
    assert "0 created, 1 updated, 1 unchanged" in out and "Skipped line 2: not valid JSON" in out


def test_a_broken_json_array_stops_with_its_line(tmp_path, host):
    path = tmp_path / "feed.json"
    path.write_text('[{"sku": "K30", "name": "Kettle"},\n{"sku": "F30" "name": "x"}]')
    out = _run(path)
    assert "1 created" in out and "Skipped line 2: not valid JSON" in out


def test_rows_go_in_batches_each_with_its_event_and_the_bar_counts_them(tmp_path, host,
                                                                          monkeypatch):
    from community.commerce import feed

    monkeypatch.setattr(feed, "BATCH", 2)
    body = "".join(f"S{n},Spare part {n},Summit,,,,,,\n" for n in range(5))
    seen = {"total": None, "done": 0}

    def counted(total):
        seen["total"] = total

    def progress(n):
        seen["done"] += n

    summary = feed.feed_import(_csv(tmp_path, body), host=host, counted=counted,
                               progress=progress)
    assert summary.created == 5 and seen == {"total": 5, "done": 5}
    batches = EngagementEvent.objects.filter(kind="products_imported").order_by("pk")
    assert [e.payload["created"] for e in batches] == [2, 2, 1]


def test_no_progress_prints_only_the_summary(tmp_path, host, capsys):
    out = _run(_csv(tmp_path, KETTLE))
    assert "Importing products" not in capsys.readouterr().err
    assert out.splitlines()[0].startswith("1 created")
