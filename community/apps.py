from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Community"

    def ready(self):
        from django.core import checks

        from community.engine import events
        from community.host import audit  # noqa: F401  (records sign-ins as they happen)

        from . import signals  # noqa: F401  (signals are wired here only)
        from .pages import invalidation, switches
        from .services import conversations  # noqa: F401  (registers account-deletion handling)

        switches.check()
        # The event kinds community owns; purpose and partners register theirs likewise.
        events.register(*events.COMMUNITY_KINDS)
        # Every registered event kind has a row of the invalidation table (manage.py check).
        checks.register(invalidation.check_complete)
