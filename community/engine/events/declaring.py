"""The machinery of events: ``declare`` a kind, ``register`` it, ``record`` it, and read a
stored row back as its kind's dataclass (``data_of``, ``touched``). The package's
``__init__`` says how kinds are declared; community's own live beside this module."""
from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, ClassVar

from django.db.models import TextChoices

from community.models import EngagementEvent
from community.models.events import EVENT_KINDS

Kind = EngagementEvent.Kind  # community's own kinds

# The ids an event may touch: the row's columns, and lists of further threads and members
# (kept in the payload under these names, as they always were).
COLUMNS = ("actor", "subject_user", "thread", "post")
ID_LISTS = ("threads", "members")
IDS = COLUMNS + ID_LISTS

_REGISTRY: dict[str, type[Payload]] = {}


def optional(default=None):
    """A field left out of the stored payload while it is ``None`` (as it always was)."""
    return dataclasses.field(default=default, metadata={"omit_none": True})


@dataclasses.dataclass(frozen=True, kw_only=True)
class Payload:
    """Base of every kind's payload. Class attributes set by :func:`declare`."""

    KIND: ClassVar[str] = ""
    IDS: ClassVar[frozenset[str]] = frozenset()
    OWNER: ClassVar[str] = ""
    STRATEGY: ClassVar[str] = ""  # the engagement strategy a member's event of it counts for

    @classmethod
    def record(cls, *, actor=None, subject_user=None, thread=None, post=None,
               threads: list[int] | None = None, members: list[int] | None = None,
               at=None, **fields) -> EngagementEvent:
        """Append this kind's event (inside the caller's ``transaction.atomic``).

        ``actor`` is a user; ``subject_user``, ``thread`` and ``post`` a model or its id;
        ``at``: when the fact happened, for a write that brings its own date (the demo's
        history), so the dashboard counts it on its day; now when ``None``."""
        if _REGISTRY.get(cls.KIND) is not cls:
            raise LookupError(f"{cls.__name__} ({cls.KIND!r}) is declared but not registered: "
                              f"register it from its app's AppConfig.ready()")
        given = {"actor": actor, "subject_user": subject_user, "thread": thread, "post": post,
                 "threads": threads, "members": members}
        stray = sorted(name for name, value in given.items()
                       if value is not None and name not in cls.IDS)
        if stray:
            raise TypeError(f"{cls.KIND} does not touch {', '.join(stray)}")
        data = cls(**fields)
        data.check()
        payload = data.as_payload()
        for name in ID_LISTS:
            if given[name] is not None:
                payload[name] = _ints(cls.KIND, name, given[name])
        from community.services.events import event_record

        return event_record(kind=cls.KIND, actor=actor, subject_user_id=_pk(subject_user),
                            thread_id=_pk(thread), post_id=_pk(post), payload=payload,
                            created_at=at)

    def check(self) -> None:
        """Every field holds a value of its declared type (``TypeError`` if not)."""
        hints = _hints(type(self))
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if not _matches(value, hints[f.name]):
                raise TypeError(f"{self.KIND}.{f.name} must be {_type_name(hints[f.name])}, "
                                f"not {value!r}")

    def as_payload(self) -> dict:
        payload = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value is None and f.metadata.get("omit_none"):
                continue
            payload[f.name] = list(value) if isinstance(value, tuple) else value
        return payload

    @classmethod
    def from_payload(cls, payload: dict | None) -> Payload:
        """The typed view of a stored payload; a field an older row lacks reads as its
        default (``None`` where it has none). Ids in the payload are read by :func:`touched`."""
        payload = payload or {}
        values = {}
        for f in dataclasses.fields(cls):
            if f.name in payload:
                values[f.name] = payload[f.name]
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                values[f.name] = None
        return cls(**values)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Undeclared(Payload):
    """What ``data_of(event)`` is for a kind no installed app declares: no fields to read."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class Mentioning(Payload):
    """Kinds about a text: the lower-cased ``@handles`` it mentions (who is told)."""

    mentions: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Addressed(Payload):
    """Kinds whose writer names who hears of them: the member ids in ``notify`` get a notice
    of the kind's ``NOTICE`` with ``message`` and a link to ``url``."""

    NOTICE: ClassVar[str] = ""

    notify: list[int]
    message: str = ""
    url: str = ""


def declare(kind: str, *, ids: tuple[str, ...] = (), notice: str = "", strategy: str = ""):
    """Class decorator: ``cls`` becomes the frozen payload dataclass of ``kind``.

    ``strategy`` names the engagement strategy (``engine.strategies``) a member's event of
    this kind counts for; a kind that names none is not engagement (a follow, an edit)."""
    unknown = set(ids) - set(IDS)
    if unknown:
        raise ValueError(f"{kind}: unknown ids {sorted(unknown)} (choose from {IDS})")
    from ..strategies import NAMES

    if strategy and strategy not in NAMES:
        raise ValueError(f"{kind}: unknown strategy {strategy!r} (choose from {sorted(NAMES)})")

    def wrap(cls):
        data_cls = dataclasses.dataclass(frozen=True, kw_only=True)(cls)
        clash = {f.name for f in dataclasses.fields(data_cls)} & set(IDS)
        if clash:
            raise ValueError(f"{kind}: payload fields may not be named {sorted(clash)}")
        if notice and not issubclass(data_cls, Addressed):
            raise ValueError(f"{kind}: only an Addressed kind names a notice")
        if issubclass(data_cls, Addressed) and not notice:
            raise ValueError(f"{kind}: an Addressed kind names the notice it makes")
        data_cls.KIND, data_cls.IDS = str(kind), frozenset(ids)
        data_cls.STRATEGY = strategy
        data_cls.OWNER = cls.__module__.split(".")[0]
        if notice:
            data_cls.NOTICE = notice
        _hints(data_cls)
        return data_cls

    return wrap


def register_kinds(choices: type[TextChoices]) -> None:
    """Add an app's ``Kind`` choices to the values an event row may hold (from the owning
    app's ``ready()``); a value another app already registered is refused."""
    EVENT_KINDS.register(choices)


def registered_kinds() -> list[str]:
    """The value of every event kind an installed app registered."""
    return EVENT_KINDS.values()


def register(*kinds: type[Payload]) -> None:
    """Make declared kinds readable and recordable (from the owning app's ``ready()``)."""
    for cls in kinds:
        if not (isinstance(cls, type) and issubclass(cls, Payload) and cls.KIND):
            raise TypeError(f"{cls!r} is not a kind made by events.declare")
        current = _REGISTRY.get(cls.KIND)
        if current is not None and current is not cls:
            raise ValueError(f"{cls.KIND!r} is already declared by {current.__module__}")
        _REGISTRY[cls.KIND] = cls


def kind_of(name: str) -> type[Payload]:
    """The declared payload class of the kind called ``name`` (``LookupError`` if none)."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise LookupError(f"No app declares the event kind {name!r}") from None


def declared() -> dict[str, type[Payload]]:
    return dict(_REGISTRY)


def data_of(event: EngagementEvent) -> Payload:
    """``event``'s payload as its kind's dataclass (``Undeclared`` for an unknown kind)."""
    cls = _REGISTRY.get(event.kind, Undeclared)
    return cls.from_payload(event.payload)


def touched(event: EngagementEvent) -> tuple[set[int], set[int]]:
    """The threads and the members ``event`` concerns: its columns and its id lists."""
    cls = _REGISTRY.get(event.kind, Undeclared)
    payload = event.payload or {}
    threads = {event.thread_id} if event.thread_id else set()
    members = {pk for pk in (event.actor_id, event.subject_user_id) if pk}
    if "threads" in cls.IDS:
        threads.update(payload.get("threads") or [])
    if "members" in cls.IDS:
        members.update(payload.get("members") or [])
    return threads, members


# Checking values against the declared types ------------------------------------------------

_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _matches(value, annotation) -> bool:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_matches(value, arg) for arg in typing.get_args(annotation))
    if annotation is type(None):
        return value is None
    if origin is list:
        (item,) = typing.get_args(annotation) or (Any,)
        return isinstance(value, (list, tuple)) and all(_matches(v, item) for v in value)
    if annotation is Any:
        return True
    if annotation in (int, float) and isinstance(value, bool):
        return False
    if annotation is float:
        return isinstance(value, (int, float))
    return isinstance(value, annotation)


def _type_name(annotation) -> str:
    return annotation.__name__ if isinstance(annotation, type) else str(annotation)


def _ints(kind: str, name: str, values) -> list[int]:
    if not _matches(values, list[int]):
        raise TypeError(f"{kind}.{name} must be a list of ids, not {values!r}")
    return list(values)


def _pk(value):
    return value if value is None or isinstance(value, int) else value.pk
