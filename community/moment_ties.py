"""What a moment is part of: a project, or a partner organisation, offered by the apps
that own them.

community never imports ``purpose`` or ``partners``, so the tie is theirs: each registers a
:class:`Provider` from its ``AppConfig.ready()`` (as it registers its event kinds and its rows
of the stale table), stores the tie in its own table and records the tie as its own event.
Community asks the providers for the host's choices (the moment form's "Tie to a project or
partner" select, :func:`choices`), for the line on the moment's page (:func:`ties`, one query
per provider) and to tie or untie (``services.moments.moment_tie_set``). A moment has at most
one tie: choosing one removes any other.

The form's value names the provider and the row: ``project:12``, ``partner:3``; empty is
"not tied".
"""
from collections.abc import Callable
from dataclasses import dataclass

NOT_TIED = ""


@dataclass(frozen=True)
class Tie:
    """A moment's tie, as its page shows it: "Part of the project <name>"."""

    key: str
    pk: int
    words: str
    name: str
    url: str

    @property
    def value(self) -> str:
        return f"{self.key}:{self.pk}"


@dataclass(frozen=True)
class Provider:
    """What an app offers: ``key`` prefixes the form's value, ``group`` heads its options.

    ``choices(moment)``: (pk, name) pairs a host may tie ``moment`` (None: a new one) to,
    including its current tie. ``tie_of(moment)``: its :class:`Tie` from this app, or None.
    ``tie(host=, moment=, pk=)`` and ``untie(host=, moment=)`` write and record the event;
    each returns whether anything changed."""

    key: str
    group: str
    choices: Callable
    tie_of: Callable
    tie: Callable
    untie: Callable


_PROVIDERS: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    """From the owning app's ``ready()``; a key another app registered is refused."""
    current = _PROVIDERS.get(provider.key)
    if current is not None and current != provider:
        raise ValueError(f"A moment tie provider for {provider.key!r} is already registered")
    _PROVIDERS[provider.key] = provider


def providers() -> list[Provider]:
    return [_PROVIDERS[key] for key in sorted(_PROVIDERS)]


def provider(key: str) -> Provider | None:
    return _PROVIDERS.get(key)


def choices(moment=None) -> list:
    """The select's options: "Not tied", then each provider's group (empty groups left
    out). One query per provider."""
    options = [(NOT_TIED, "Not tied")]
    for each in providers():
        rows = [(f"{each.key}:{pk}", name) for pk, name in each.choices(moment)]
        if rows:
            options.append((each.group, rows))
    return options


def ties(moment) -> list[Tie]:
    """``moment``'s tie, in a list (empty when it has none): one query per provider."""
    return [tie for each in providers() if (tie := each.tie_of(moment)) is not None]


def parse(value: str) -> tuple[Provider, int] | None:
    """The provider and row a form value names; None for "not tied". ``ValueError`` for a
    value that names nothing registered."""
    if not value:
        return None
    key, _, pk = value.partition(":")
    found = _PROVIDERS.get(key)
    if found is None or not pk.isdigit() or len(pk) > 18 or int(pk) < 1:
        raise ValueError(value)
    return found, int(pk)
