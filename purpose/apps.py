from django.apps import AppConfig


class PurposeConfig(AppConfig):
    name = "purpose"
    verbose_name = "Shared purpose"

    def ready(self):
        from community.demo import seeding
        from community.engine import events, notifications, scoring

        from . import events as purpose_events
        from .demo import seed_projects
        from .selectors import member_counters

        # The events projects write: their kinds, declared here and read by the engine by
        # their type, and the notice they make.
        events.register_kinds(purpose_events.Kind)
        events.register(*purpose_events.KINDS)
        notifications.register_notices(purpose_events.Notice)
        # What each of them makes stale, in the speed layer's one table.
        _register_stale_rows()
        # What the hosts' marketing initiatives may link to on this app's side.
        _register_initiative_links()
        # Project work counts in members' collaboration and contribution scores.
        scoring.register_member_counters(member_counters)
        # After the demo's people and conversations exist.
        seeding.register("projects", 80, seed_projects)


def _register_stale_rows():
    from community.pages import invalidation

    from .events import Kind

    row = invalidation.row
    invalidation.extend({
        Kind.PURPOSE_REVISED: row(site=True),  # the home page shows the statement
        Kind.PROJECT_PROPOSED: row(project=True),
        Kind.PROJECT_EDITED: row(project=True),
        Kind.PROJECT_STATUS: row(project=True),
        Kind.PROJECT_JOINED: row(project=True),
        Kind.PROJECT_LEFT: row(project=True),
        Kind.PLEDGED: row(project=True),
        Kind.PLEDGE_WITHDRAWN: row(project=True),
        Kind.PROJECT_UPDATE: row(project=True),
        Kind.CONTRIBUTED: row(project=True),
        Kind.CONTRIBUTION_EDITED: row(project=True),
        Kind.CONTRIBUTION_VOTED: row(project=True),
        Kind.CONTRIBUTION_UNVOTED: row(project=True),
        Kind.CONTRIBUTION_WON: row(project=True),
    })


def _register_initiative_links():
    from community.host.strategy import links

    from . import selectors

    links.register(links.LinkKind(
        name="project", label="Purpose projects", choices=selectors.initiative_link_choices,
        threads=selectors.initiative_link_threads))
