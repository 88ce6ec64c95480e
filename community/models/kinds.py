"""The values a ``kind`` column may hold, contributed by the apps that own them.

``EngagementEvent.kind`` and ``Notification.kind`` list community's own kinds in their
``Kind`` choices; ``purpose`` and ``partners`` define theirs in their own modules and add
them from their ``AppConfig.ready()`` (community never imports them). The fields take a
callable for ``choices`` that reads the registry, so the admin, forms and validation see
every installed app's kinds while the migrations name only the callable: an app adding a
kind changes no migration. Stored values never change: a row reads the same whichever app
declares its kind.
"""
from django.db import models


class KindRegistry:
    """The kinds of one column: each app's ``TextChoices``, in the order they were added."""

    def __init__(self, what: str, *groups: type[models.TextChoices]):
        self.what = what
        self._groups: list[type[models.TextChoices]] = []
        for group in groups:
            self.register(group)

    def register(self, group: type[models.TextChoices]) -> None:
        """Add an app's kinds; a value another group already holds is refused."""
        if not (isinstance(group, type) and issubclass(group, models.TextChoices)):
            raise TypeError(f"{group!r} is not a TextChoices class of {self.what}s")
        if group in self._groups:
            return
        taken = sorted(set(self.values()) & set(group.values))
        if taken:
            raise ValueError(f"{group.__module__}.{group.__qualname__}: the {self.what}s "
                             f"{taken} are already registered")
        self._groups.append(group)

    def choices(self) -> list[tuple[str, str]]:
        return [choice for group in self._groups for choice in group.choices]

    def values(self) -> list[str]:
        return [value for group in self._groups for value in group.values]
