"""What an initiative may link to beyond community's own objects.

Community links an initiative to a thread, a moment or a product by key. A purpose project
or a partner's offer lives in an app community never imports, so that app registers a
:class:`LinkKind` from its ``AppConfig.ready()`` (as it registers its stale-table rows):
the choices a host picks from (with their names and addresses), and, for the measure of where
an initiative landed, the threads that belong to it (a project's linked discussions, the
offer's thread). The initiative stores the kind's name and the id (``link_kind``,
``link_id``); an id whose object is gone links to nothing and adds no threads.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

SEPARATOR = ":"


@dataclass(frozen=True)
class LinkKind:
    name: str  # stored in Initiative.link_kind, e.g. "project"
    label: str  # the group's heading in the form's list, e.g. "Purpose projects"
    # (id, name, address) of each object a host may pick, in one query.
    choices: Callable[[], list[tuple[int, str, str]]]
    threads: Callable[[list[int]], dict[int, set[int]]]  # id -> its thread ids, one query


_KINDS: dict[str, LinkKind] = {}


def register(kind: LinkKind) -> None:
    """Add a link kind (from its app's ``ready()``); a name taken by another is refused."""
    current = _KINDS.get(kind.name)
    if current is not None and current is not kind:
        raise ValueError(f"The initiative link kind {kind.name!r} is already registered")
    if SEPARATOR in kind.name:
        raise ValueError(f"An initiative link kind's name may not contain {SEPARATOR!r}")
    _KINDS[kind.name] = kind


def kinds() -> list[LinkKind]:
    return list(_KINDS.values())


def get(name: str) -> LinkKind | None:
    return _KINDS.get(name)


def grouped_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every registered kind's choices, for one select: ``[(label, [("project:3", name)])]``
    (one query per kind)."""
    groups = []
    for kind in kinds():
        options = [(f"{kind.name}{SEPARATOR}{pk}", name) for pk, name, _ in kind.choices()]
        if options:
            groups.append((kind.label, options))
    return groups


def named() -> dict[tuple[str, int], tuple[str, str, str]]:
    """(kind, id) -> (the kind's label, the object's name, its address), every registered
    object (one query per kind)."""
    return {(kind.name, pk): (kind.label, name, url)
            for kind in kinds() for pk, name, url in kind.choices()}


def parse(value: str) -> tuple[str, int] | None:
    """``"project:3"`` -> ``("project", 3)``; ``None`` for an empty or malformed value."""
    name, _, pk = (value or "").partition(SEPARATOR)
    if name not in _KINDS or not pk.isdigit():
        return None
    return name, int(pk)


def threads_of(pairs: list[tuple[str, int]]) -> dict[tuple[str, int], set[int]]:
    """The threads each (kind, id) names: one query per kind that has ids."""
    wanted: dict[str, list[int]] = {}
    for name, pk in pairs:
        if name in _KINDS:
            wanted.setdefault(name, []).append(pk)
    found: dict[tuple[str, int], set[int]] = {}
    for name, ids in wanted.items():
        for pk, thread_ids in _KINDS[name].threads(sorted(set(ids))).items():
            found[(name, pk)] = set(thread_ids)
    return found
