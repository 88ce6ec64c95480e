"""Write many rows of one model fast: ``COPY`` on PostgreSQL, ``executemany`` elsewhere.

Imports write millions of rows. Django's ``bulk_create`` builds a model instance per row and
prepares every value of every field through the ORM, which costs more than the database
spends storing them; here a row is a plain dict of attribute values, ids are taken from the
table's sequence beforehand (so related rows can point at each other in the same batch),
and the rows go to PostgreSQL as one ``COPY``. Nothing runs ``save()`` or signals: callers
give final values, and defaults come from the model's fields.
"""
from __future__ import annotations

import io
import json
import re
from datetime import date, datetime

from django.db import connection, models

_SPECIAL = re.compile(r"[\\\t\n\r\x00]")


def _escape(text: str) -> str:
    if _SPECIAL.search(text) is None:
        return text
    return (text.replace("\x00", "").replace("\\", "\\\\").replace("\t", "\\t")
            .replace("\n", "\\n").replace("\r", "\\r"))


def _copy_text(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    kind = type(value)
    if kind is str:
        return _escape(value)
    if kind is int:
        return str(value)
    if value is None:
        return r"\N"
    if kind is bool:
        return "t" if value else "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return _escape(str(value))


class Rows:
    """Rows of ``model``; ``constants`` are attribute values shared by every row."""

    def __init__(self, model: type[models.Model], **constants):
        self.model = model
        fields = model._meta.concrete_fields
        self.table = model._meta.db_table
        self.pk = model._meta.pk.column
        self.attnames = [f.attname for f in fields]
        self.columns = [f.column for f in fields]
        self.defaults = {f.attname: f.get_default() for f in fields if not f.primary_key}
        self.defaults.update(constants)
        self.json = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
        self._next = 0  # SQLite: the next id to hand out

    def ids(self, count: int) -> list[int]:
        """``count`` fresh primary keys, reserved before the rows are written."""
        if count <= 0:
            return []
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                    "FROM generate_series(1, %s)", [self.table, self.pk, count])
                return [row[0] for row in cursor.fetchall()]
            # Names from the model's own metadata, never from input.
            cursor.execute(f'SELECT max("{self.pk}") FROM "{self.table}"')  # noqa: S608  # nosec B608
            start = max((cursor.fetchone()[0] or 0) + 1, self._next)
        self._next = start + count
        return list(range(start, start + count))

    def write(self, rows: list[dict]) -> None:
        """Insert ``rows`` (each a dict of attribute values including the primary key)."""
        if not rows:
            return
        defaults, names = self.defaults, self.attnames
        values = [[row[name] if name in row else defaults[name] for name in names]
                  for row in rows]
        if self.json:
            at = [i for i, name in enumerate(names) if name in self.json]
            for row in values:
                for i in at:
                    row[i] = None if row[i] is None else json.dumps(row[i])
        columns = ", ".join(f'"{c}"' for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                buffer = io.StringIO()
                for row in values:
                    buffer.write("\t".join(map(_copy_text, row)))
                    buffer.write("\n")
                buffer.seek(0)
                cursor.copy_expert(f'COPY "{self.table}" ({columns}) FROM STDIN', buffer)
                return
            adapt = connection.ops.adapt_datetimefield_value
            prepared = [[adapt(v) if isinstance(v, datetime) else v for v in row]
                        for row in values]
            marks = ", ".join(["%s"] * len(names))
            cursor.executemany(
                f'INSERT INTO "{self.table}" ({columns}) VALUES ({marks})',  # noqa: S608  # nosec B608
                prepared)
