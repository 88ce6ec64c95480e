"""One page of a list: the rows and whether more follow (one query, ``size + 1`` rows)."""
from dataclasses import dataclass


@dataclass
class Slice:
    """What ``components/_pagination.html`` needs, plus the rows."""

    items: list
    number: int
    has_next: bool
    offset: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def page_slice(queryset, *, page: int, size: int, kind: type[Slice] = Slice, **extra) -> Slice:
    """Page ``page`` of ``queryset``, as ``kind`` (a :class:`Slice` that names what else
    its template needs, given in ``extra``)."""
    start = (page - 1) * size
    rows = list(queryset[start:start + size + 1])
    return kind(items=rows[:size], number=page, has_next=len(rows) > size, offset=start,
                **extra)
