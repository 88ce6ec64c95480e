"""The shop's order export (``manage.py import_orders FILE``): who bought what, and when.

A CSV file with the columns ``email``, ``sku``, ``date`` and optionally ``order_ref`` (a
header row names them, in any order), or a JSON list of objects with those keys. Each row
is a purchase (:func:`community.commerce.ownership.purchase_record`): the account whose
confirmed address it names (any case) becomes a verified owner; an address without one
waits, hashed, for its account. Importing the same file again changes nothing. A row with an
unknown SKU, an address that is not one, or a date that is not ``YYYY-MM-DD`` is listed
with its line (CSV) or item number (JSON) and skipped.
"""
from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from community.models import Ownership, Product

from . import ownership

COLUMNS = ("email", "sku", "date")


class FeedError(Exception):
    """The file cannot be read as an order export at all."""


@dataclass
class Row:
    line: int
    email: str
    sku: str
    day: str
    order_ref: str = ""


@dataclass
class Summary:
    counts: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        c = self.counts
        return [f"{c['rows']} rows: {c[ownership.VERIFIED]} verified ownerships, "
                f"{c[ownership.PENDING]} kept for addresses with no account yet, "
                f"{c[ownership.UNCHANGED]} already known, {c['skipped']} skipped."]


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def read_rows(path: Path) -> Iterator[Row]:
    """The file's rows, numbered as a person finds them (CSV: its line; JSON: its item)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FeedError(f"{path} is not UTF-8 text.") from None
    if path.suffix.lower() == ".json" or text.lstrip().startswith("["):
        try:
            items = json.loads(text)
        except ValueError as error:
            raise FeedError(f"{path} is not valid JSON: {error}") from None
        if not isinstance(items, list):
            raise FeedError(f"{path}: the JSON must be a list of orders.")
        for n, item in enumerate(items, start=1):
            item = item if isinstance(item, dict) else {}
            yield Row(n, _text(item.get("email")), _text(item.get("sku")),
                      _text(item.get("date")), _text(item.get("order_ref")))
        return
    reader = csv.DictReader(io.StringIO(text))
    names = {(name or "").strip().lower() for name in reader.fieldnames or []}
    if not set(COLUMNS) <= names:
        raise FeedError(f"{path}: the header must name the columns email, sku and date.")
    for record in reader:
        values = {(k or "").strip().lower(): v for k, v in record.items()}
        yield Row(reader.line_num, _text(values.get("email")), _text(values.get("sku")),
                  _text(values.get("date")), _text(values.get("order_ref")))


def _day(value: str) -> date:
    if "T" in value:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    return date.fromisoformat(value)


def count_rows(path: Path) -> int | None:
    """How many rows the progress bar expects (CSV only; None when unknown)."""
    if path.suffix.lower() == ".json":
        return None
    with path.open("rb") as handle:
        return max(sum(1 for _ in handle) - 1, 0)


def import_orders(path: Path, *, progress=None) -> Summary:
    """Record every good row of the export at ``path``; ``progress`` (a tqdm bar, or None)
    advances by one per row."""
    summary = Summary()
    products: dict[str, Product | None] = {}
    where = "item" if path.suffix.lower() == ".json" else "line"
    for row in read_rows(path):
        summary.counts["rows"] += 1
        if progress is not None:
            progress.update(1)
        problem = None
        try:
            validate_email(row.email)
        except ValidationError:
            problem = f"{row.email!r} is not an email address"
        if problem is None:
            try:
                day = _day(row.day)
            except ValueError:
                problem = f"{row.day!r} is not a date (write 2026-11-30)"
        if problem is None:
            if row.sku not in products:
                products[row.sku] = Product.objects.filter(sku=row.sku).first()
            if products[row.sku] is None:
                problem = f"unknown SKU {row.sku!r}"
        if problem is not None:
            summary.counts["skipped"] += 1
            summary.problems.append(f"{where} {row.line}: {problem}; skipped.")
            continue
        done = ownership.purchase_record(email=row.email, product=products[row.sku],
                                         source=Ownership.Source.ORDER, purchased_on=day,
                                         order_ref=row.order_ref)
        summary.counts[done.outcome] += 1
    return summary
