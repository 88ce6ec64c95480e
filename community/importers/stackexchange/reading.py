"""Reading a dump: its XML files row by row, its dates and numbers, and what was skipped."""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from xml.parsers import expat

BATCH = 2000
SAMPLES = 5  # skipped source ids listed per reason


class DumpError(Exception):
    """The directory is not a dump we can read (one clear sentence)."""


class Skip(Exception):
    pass


@dataclass
class Summary:
    read: Counter = field(default_factory=Counter)
    imported: Counter = field(default_factory=Counter)
    already: Counter = field(default_factory=Counter)
    skipped: dict = field(default_factory=lambda: defaultdict(Counter))
    samples: dict = field(default_factory=lambda: defaultdict(list))
    notes: dict = field(default_factory=lambda: defaultdict(Counter))
    departed: int = 0  # placeholder accounts made for authors the dump no longer has

    def skip(self, kind: str, reason: str, source_id) -> None:
        self.skipped[kind][reason] += 1
        self._sample(kind, reason, source_id)

    def note(self, kind: str, what: str, source_id) -> None:
        """Rows imported in a way worth saying (e.g. the system account)."""
        self.notes[kind][what] += 1
        self._sample(kind, what, source_id)

    def _sample(self, kind: str, reason: str, source_id) -> None:
        examples = self.samples[(kind, reason)]
        if len(examples) < SAMPLES:
            examples.append(str(source_id))

    def lines(self) -> list[str]:
        out = []
        for kind in ("users", "questions", "answers", "comments", "votes", "accepted"):
            skipped = sum(self.skipped[kind].values())
            out.append(f"{kind:<10} read {self.read[kind]:>9,}  imported {self.imported[kind]:>9,}"
                       f"  already there {self.already[kind]:>9,}  skipped {skipped:>7,}")
            for what, n in self.notes[kind].most_common():
                ids = ", ".join(self.samples[(kind, what)])
                out.append(f"    imported {n:,}: {what} (e.g. {ids})")
            for reason, n in self.skipped[kind].most_common():
                ids = ", ".join(self.samples[(kind, reason)])
                out.append(f"    skipped {n:,}: {reason} (e.g. {ids})")
        if self.departed:
            out.append(f"authors    {self.departed:,} whose account the dump no longer has "
                       "keep their posts as former members, one account each")
        return out


def parse_date(value: str | None) -> datetime:
    if not value:
        raise Skip("no CreationDate")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise Skip(f"bad date {value[:30]!r}") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


def as_int(value: str | None, name: str) -> int:
    if value is None or value == "":
        raise Skip(f"no {name}")
    try:
        return int(value)
    except ValueError:
        raise Skip(f"{name} is not a number") from None


class _Refused(Exception):
    pass


def _refuse(*_args):
    raise _Refused


def rows(path: Path, root_tag: str) -> Iterator[dict]:
    """The attributes of each ``<row>`` of ``path``, read a megabyte at a time.

    Plain expat with element handlers: no tree is built, so memory stays flat whatever the
    file size. It refuses a DTD and every kind of entity declaration (a
    dump never has one; an entity bomb or an external entity would)."""
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    found: list[dict] = []
    root: list[str] = []

    def start(tag, attrs):
        if not root:
            root.append(tag)
        elif tag == "row":
            found.append(attrs)

    parser.StartElementHandler = start
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(1 << 20)
            try:
                parser.Parse(chunk, not chunk)
            except _Refused:
                raise DumpError(f"{path.name} declares entities or a DTD, which a dump never "
                                "does: refused.") from None
            except expat.ExpatError as error:
                if not root:
                    raise DumpError(f"{path.name} is not XML ({error}).") from None
                yield from found
                raise DumpError(f"{path.name} is broken XML ({error}): fix the file and run "
                                "again (what was imported stays, and nothing twice).") from None
            if root and root[0] != root_tag:
                raise DumpError(f"{path.name} is not a Stack Exchange dump file: its root "
                                f"element is <{root[0]}>, not <{root_tag}>.")
            yield from found
            found.clear()
            if not chunk:
                break
    if not root:
        raise DumpError(f"{path.name} is empty.")


def batched(items: Iterator[dict], size: int = BATCH) -> Iterator[list[dict]]:
    batch: list[dict] = []
    try:
        for item in items:
            batch.append(item)
            if len(batch) >= size:
                yield batch
                batch = []
    except DumpError:
        if batch:  # the rows read before the break are imported, then the error stops us
            yield batch
        raise
    if batch:
        yield batch


def _max_id(batch: list[dict]) -> int:
    ids = [int(v) for v in (row.get("Id") for row in batch) if v and v.lstrip("-").isdigit()]
    return max(ids, default=0)


def _int0(value) -> int:
    try:
        return max(int(value or 0), 0)
    except ValueError:
        return 0


def _int_or_none(value):
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _maybe_date(value):
    if not value:
        return None
    try:
        return parse_date(value)
    except Skip:
        return None
