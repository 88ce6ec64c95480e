"""The shop's product feed: a CSV or JSON file, imported by SKU (``manage.py import_products``).

Columns (CSV header, or JSON keys): ``sku`` and ``name`` (required), ``line``,
``description``, ``shop_url``, ``parent_sku`` (the main product of an accessory), ``tag``,
``image`` (a path relative to the feed file, taken through the media pipeline like a
member's photo) and ``active`` (true/false, yes/no, 1/0; empty: on sale). JSON is an array
of objects or one object a line (JSON Lines). A column the feed does not have is left as it
is in the catalogue.

Importing the same feed again changes nothing: each row is matched by its SKU and written
only when it differs; the summary counts products created, updated and unchanged. A row
that cannot be imported (no SKU, a SKU seen earlier in the file, an unknown parent, a bad
address, a field too long, text that is not UTF-8, ...) is listed with its line number and
skipped; the others go in.

Memory stays bounded whatever the feed's size: the file is read as a stream, twice (first
the SKUs each valid row names, so a parent may come after its accessories and a repeated
SKU is found; then the rows), and written in batches of :data:`BATCH` rows, each in one
transaction with its ``ProductsImported`` event. Only SKUs and line numbers are kept for
the whole file, never its rows.
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from community.content import tags as tag_names
from community.models import Product, ProductImage, User
from community.services.conversations import tags_by_slug

from . import catalogue

BATCH = 1000
COLUMNS = ("sku", "name", "line", "description", "shop_url", "parent_sku", "tag", "image",
           "active")
FIELDS = ("name", "line", "description", "shop_url")  # copied as they are
REQUIRED = ("sku", "name")
JSON_CHUNK = 1 << 16
JSON_OBJECT_MAX = 1 << 20  # one product's object, however the file is laid out
TRUE = {"", "1", "true", "yes", "y", "on"}
FALSE = {"0", "false", "no", "n", "off"}
_NOT_UTF8 = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8, kept as escapes


class FeedError(Exception):
    """The file as a whole cannot be read (no such file, no SKU column, not CSV or JSON)."""


@dataclass
class Problem:
    line: int
    message: str

    def __str__(self):
        return f"line {self.line}: {self.message}"


@dataclass
class Summary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    photos: int = 0
    skipped: list[Problem] = field(default_factory=list)  # rows not imported
    notes: list[Problem] = field(default_factory=list)  # imported, with something refused

    def lines(self) -> list[str]:
        out = [f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged; "
               f"{self.photos} photos added; {len(self.skipped)} rows skipped."]
        out += [f"Skipped {p}" for p in self.skipped]
        out += [f"Imported {p}" for p in self.notes]
        return out


@dataclass
class Row:
    line: int
    sku: str
    values: dict[str, str]  # the columns the feed has, stripped

    def has(self, column: str) -> bool:
        return column in self.values

    def get(self, column: str) -> str:
        return self.values.get(column, "")


# Reading -------------------------------------------------------------------------------


def feed_format(path: Path, asked: str = "") -> str:
    if asked:
        return asked
    return "json" if path.suffix.lower() in (".json", ".jsonl", ".ndjson") else "csv"


def _text(path: Path):
    # Bytes that are not UTF-8 are kept as escapes, so the row that holds them is named and
    # skipped instead of the whole file failing; a byte-order mark is dropped.
    return open(path, encoding="utf-8-sig", errors="surrogateescape", newline="")  # noqa: SIM115


def _csv_rows(path: Path) -> Iterator[Row | Problem]:
    with _text(path) as stream:
        reader = csv.reader(stream)
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise FeedError(f"line 1: not a CSV header ({error}).") from None
        names = [h.strip().lower() for h in header]
        missing = [c for c in REQUIRED if c not in names]
        if missing:
            raise FeedError(f"The header (line 1) has no {' or '.join(missing)} column: "
                            f"the columns are {', '.join(COLUMNS)}.")
        at = reader.line_num
        while True:
            start = at + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                at = reader.line_num
                yield Problem(start, f"not a CSV row ({error}).")
                continue
            at = reader.line_num
            if not any(c.strip() for c in cells):
                continue  # a blank line
            if len(cells) != len(names):
                yield Problem(start, f"{len(cells)} fields where the header has "
                                     f"{len(names)}.")
                continue
            yield _row(start, dict(zip(names, cells, strict=True)))


@dataclass
class _Broken:
    message: str


def _json_values(path: Path) -> Iterator[tuple[int, object]]:
    """(line, value) of each top-level item: an array's elements or JSON Lines' values."""
    decoder = json.JSONDecoder()
    with _text(path) as stream:
        buffer, pos, line, ended = stream.read(JSON_CHUNK), 0, 1, False
        start = len(buffer) - len(buffer.lstrip())
        array = buffer[start:start + 1] == "["
        if array:  # past the array's opening bracket
            line += buffer.count("\n", 0, start)
            pos = start + 1
        while True:
            while True:  # past whitespace and the commas between items
                while pos < len(buffer) and buffer[pos] in " \t\r\n,":
                    line += buffer[pos] == "\n"
                    pos += 1
                if array and buffer[pos:pos + 1] == "]":
                    return
                if pos < len(buffer) or ended:
                    break
                more = stream.read(JSON_CHUNK)
                ended = not more
                buffer, pos = buffer[pos:] + more, 0
            if pos >= len(buffer):
                return
            try:
                value, end = decoder.raw_decode(buffer, pos)
            except json.JSONDecodeError as error:
                if not ended and len(buffer) - pos < JSON_OBJECT_MAX:
                    more = stream.read(JSON_CHUNK)  # the item may go on in the next chunk
                    ended = not more
                    buffer, pos = buffer[pos:] + more, 0
                    continue
                if array:  # an array cannot be read past a broken item
                    yield line, _Broken(f"not valid JSON ({error.msg}); the rest of the "
                                        "file is not read.")
                    return
                yield line, _Broken(f"not valid JSON ({error.msg}).")
                newline = buffer.find("\n", pos)  # JSON Lines: on with the next line
                if newline < 0:
                    return
                pos = newline
                continue
            yield line, value
            line += buffer.count("\n", pos, end)
            pos = end


def _json_rows(path: Path) -> Iterator[Row | Problem]:
    for line, value in _json_values(path):
        if isinstance(value, _Broken):
            yield Problem(line, value.message)
            continue
        if not isinstance(value, dict):
            yield Problem(line, "not a product: each item is an object with sku and name.")
            continue
        values = {}
        for key, raw in value.items():
            key = str(key).strip().lower()
            if raw is None:
                raw = ""
            elif isinstance(raw, bool):
                raw = "true" if raw else "false"
            elif isinstance(raw, (int, float)):
                raw = str(raw)
            elif not isinstance(raw, str):
                yield Problem(line, f"{key} is not text.")
                break
            values[key] = raw
        else:
            yield _row(line, values)


def _row(line: int, values: dict[str, str]) -> Row | Problem:
    values = {k: v.strip() for k, v in values.items() if k in COLUMNS}
    if any(_NOT_UTF8.search(v) for v in values.values()):
        return Problem(line, "the text is not UTF-8 (save the feed as UTF-8).")
    return Row(line=line, sku=values.get("sku", ""), values=values)


def rows(path: Path, fmt: str) -> Iterator[Row | Problem]:
    if not path.is_file():
        raise FeedError(f"{path} is not a file.")
    return _json_rows(path) if fmt == "json" else _csv_rows(path)


# Checking a row ------------------------------------------------------------------------


def _image_path(row: Row, base: Path) -> Path | str:
    raw = row.get("image")
    relative = Path(raw)
    if relative.is_absolute() or ".." in relative.parts:
        return f"the image {raw!r} must be a path inside the feed's folder."
    found = (base / relative).resolve()
    if not found.is_relative_to(base.resolve()):
        return f"the image {raw!r} must be a path inside the feed's folder."
    if not found.is_file():
        return f"no image file {raw!r} next to the feed."
    return found


def row_problem(row: Row, base: Path) -> str:
    """Why ``row`` cannot be imported on its own (its family is checked later), or ""."""
    problems = catalogue.fields_check(
        sku=row.sku, name=row.get("name"), line=row.get("line"),
        description=row.get("description"), shop_url=row.get("shop_url"))
    if problems:
        return " ".join(problems.values())
    if row.get("active").lower() not in TRUE | FALSE:
        return f"active is {row.get('active')!r}: write true or false."
    if row.get("parent_sku") == row.sku:
        return "a product cannot be its own accessory (parent_sku is its own SKU)."
    if row.get("tag") and (refusal := tag_names.problems([row.get("tag")])):
        return refusal
    if row.get("image") and isinstance(reason := _image_path(row, base), str):
        return reason
    return ""


# Writing -------------------------------------------------------------------------------


@dataclass
class _Run:
    host: User | None
    base: Path
    summary: Summary
    valid: dict[str, int]  # SKU -> the line of its row that is imported
    later: list[tuple[int, str, str]] = field(default_factory=list)  # parents further on
    written: set[str] = field(default_factory=set)  # created or updated so far (by SKU)


def _wanted(row: Row, tags: dict) -> dict:
    wanted = {name: row.get(name) for name in FIELDS if row.has(name)}
    if row.has("active"):
        wanted["is_active"] = row.get("active").lower() in TRUE
    if row.has("tag"):
        tag = tags.get(tag_names.tag_name(row.get("tag")))
        wanted["tag_id"] = tag.pk if tag else None
    return wanted


def _write(run: _Run, batch: list[Row]) -> None:
    summary = run.summary
    skus = [row.sku for row in batch]
    parents = {row.get("parent_sku") for row in batch if row.get("parent_sku")}
    with transaction.atomic():
        existing = {p.sku: p for p in Product.objects.filter(sku__in=skus).only(
            "pk", "sku", "slug", "parent_id", "tag_id", "is_active", *FIELDS)}
        parent_ids = dict(Product.objects.filter(sku__in=parents).values_list("sku", "pk"))
        tags = tags_by_slug(row.get("tag") for row in batch if row.get("tag"))
        bases = {catalogue.slug_for(row.get("name"), row.sku, lambda s: False)
                 for row in batch if row.sku not in existing}
        taken = set(Product.objects.filter(slug__in=bases).values_list("slug", flat=True))
        new, changed, fields = [], [], set()
        for row in batch:
            wanted = _wanted(row, tags)
            parent_sku = row.get("parent_sku")
            if parent_sku and parent_sku not in parent_ids:
                run.later.append((row.line, row.sku, parent_sku))  # written further on
            elif row.has("parent_sku"):
                wanted["parent_id"] = parent_ids.get(parent_sku)
            product = existing.get(row.sku)
            if product is None:
                slug = catalogue.slug_for(
                    wanted["name"], row.sku,
                    lambda s: s in taken or (s not in bases
                                             and Product.objects.filter(slug=s).exists()))
                taken.add(slug)
                new.append(Product(sku=row.sku, slug=slug, **wanted))
                continue
            differs = [name for name, value in wanted.items() if getattr(product, name) != value]
            if differs:
                for name in differs:
                    setattr(product, name, wanted[name])
                changed.append(product)
                fields.update(differs)
            else:
                summary.unchanged += 1
        Product.objects.bulk_create(new, batch_size=BATCH)
        if changed:
            now = timezone.now()
            for product in changed:
                product.updated_at = now
            Product.objects.bulk_update(changed, sorted(fields | {"updated_at"}),
                                        batch_size=BATCH)
        summary.created += len(new)
        summary.updated += len(changed)
        run.written.update(p.sku for p in (*new, *changed))
        catalogue.products_imported(actor=run.host, created=[p.pk for p in new],
                                    updated=[p.pk for p in changed])
    _photos(run, [row for row in batch if row.get("image")])


def _photos(run: _Run, batch: list[Row]) -> None:
    """Each row's picture, when its file is not the one the product already shows from
    the feed: added first, and the feed's earlier picture removed."""
    if not batch:
        return
    products = {p.sku: p for p in Product.objects.filter(sku__in=[r.sku for r in batch])}
    shown: dict[int, dict[str, ProductImage]] = {}
    for image in ProductImage.objects.filter(product__in=products.values()).exclude(
            source_digest=""):
        shown.setdefault(image.product_id, {})[image.source_digest] = image
    for row in batch:
        product = products[row.sku]
        path = _image_path(row, run.base)
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        earlier = shown.get(product.pk, {})
        if digest in earlier:
            continue
        if run.host is None:
            run.summary.notes.append(Problem(row.line, "the photo was not added: no host to "
                                                       "credit it to (pass --host)."))
            continue
        upload = SimpleUploadedFile(path.name, data)
        try:
            catalogue.product_image_add(host=run.host, product=product, upload=upload,
                                        alt_text=product.name, first=True,
                                        source_digest=digest)
        except ValidationError as error:
            run.summary.notes.append(Problem(row.line, "the photo was refused: "
                                                       + " ".join(error.messages)))
            continue
        for old in earlier.values():
            catalogue.product_image_remove(host=run.host, image=old)
        run.summary.photos += 1
        if row.sku not in run.written:
            run.written.add(row.sku)
            run.summary.unchanged -= 1
            run.summary.updated += 1


def _link_later(run: _Run) -> None:
    """Accessories whose main product came further down the file, now that it is in."""
    for start in range(0, len(run.later), BATCH):
        links = run.later[start:start + BATCH]
        skus = {sku for _, sku, _ in links} | {parent for _, _, parent in links}
        with transaction.atomic():
            found = {p.sku: p for p in Product.objects.filter(sku__in=skus).only(
                "pk", "sku", "parent_id")}
            changed = []
            for _, sku, parent_sku in links:
                product, parent = found[sku], found[parent_sku]
                if product.parent_id != parent.pk:
                    product.parent_id = parent.pk
                    changed.append(product)
            Product.objects.bulk_update(changed, ["parent"], batch_size=BATCH)
            for product in changed:
                if product.sku not in run.written:
                    run.written.add(product.sku)
                    run.summary.unchanged -= 1
                    run.summary.updated += 1
            catalogue.products_imported(actor=run.host, created=[], updated=[
                p.pk for p in changed])


def _families_check(run: _Run) -> None:
    """A family is one level deep: an accessory named as a main product is reported (its
    accessories keep it, so nothing is lost; the host fixes the feed)."""
    nested = (Product.objects.filter(parent__parent__isnull=False)
              .values_list("sku", "parent__sku").iterator())
    for sku, parent_sku in nested:
        if sku in run.valid:
            run.summary.notes.append(Problem(
                run.valid[sku], f"its main product {parent_sku} is itself an accessory: a "
                                "family is one level deep."))


def feed_import(path: Path, *, fmt: str = "", host: User | None = None,
                progress: Callable[[int], None] | None = None,
                counted: Callable[[int], None] | None = None) -> Summary:
    """Import the feed at ``path``; ``counted(n)`` is told how many rows it has, then
    ``progress(n)`` as each ``n`` are done."""
    fmt = feed_format(path, fmt)
    base = path.parent
    summary = Summary()
    # First reading: the SKU of every row that can be imported, and where it is.
    valid: dict[str, int] = {}
    total = 0
    for row in rows(path, fmt):
        total += 1
        if isinstance(row, Row) and not row_problem(row, base) and row.sku not in valid:
            valid[row.sku] = row.line
    if counted:
        counted(total)
    run = _Run(host=host, base=base, summary=summary, valid=valid)
    batch: list[Row] = []
    known_parents: set[str] = set()
    for row in rows(path, fmt):
        if progress:
            progress(1)
        if isinstance(row, Problem):
            summary.skipped.append(row)
            continue
        if reason := row_problem(row, base):
            summary.skipped.append(Problem(row.line, reason))
            continue
        if valid.get(row.sku) != row.line:
            summary.skipped.append(Problem(row.line, f"the SKU {row.sku} is on line "
                                                     f"{valid[row.sku]} already."))
            continue
        parent = row.get("parent_sku")
        if parent and parent not in valid and parent not in known_parents:
            if not Product.objects.filter(sku=parent).exists():
                summary.skipped.append(Problem(row.line, f"no product has the parent SKU "
                                                         f"{parent}."))
                continue
            known_parents.add(parent)
        batch.append(row)
        if len(batch) >= BATCH:
            _write(run, batch)
            batch = []
    if batch:
        _write(run, batch)
    _link_later(run)
    _families_check(run)
    summary.skipped.sort(key=lambda p: p.line)
    summary.notes.sort(key=lambda p: p.line)
    return summary
