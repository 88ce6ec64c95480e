from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class PurposeConfig(AppConfig):
    name = "purpose"
    verbose_name = "Shared purpose"

    def ready(self):
        from community import moment_ties
        from community.demo import seeding
        from community.engine import events, notifications, scoring
        from community.services import drafts

        from . import drafts as project_drafts
        from . import events as purpose_events
        from . import moments as project_moments
        from .demo import seed_moment_ties, seed_projects
        from .selectors import member_counters

        # The events projects write: their kinds, declared here and read by the engine by
        # their type, and the notice they make.
        events.register_kinds(purpose_events.Kind)
        events.register(*purpose_events.KINDS)
        notifications.register_notices(purpose_events.Notice)
        # What each of them makes stale, in the speed layer's one table.
        _register_stale_rows()
        # Hosts tie moments to projects: the choices, the tie and the moment page's line.
        moment_ties.register(project_moments.PROVIDER)
        # Project updates, contributions and project discussions keep drafts as members type.
        for prefix, check in project_drafts.CHECKS.items():
            drafts.register_place(prefix, check)
        # What the hosts' marketing initiatives may link to on this app's side.
        _register_initiative_links()
        # Project work counts in members' collaboration and contribution scores.
        scoring.register_member_counters(member_counters)
        # After the demo's people and conversations exist.
        seeding.register("projects", 80, seed_projects)
        # After the moments and the projects: the running moment is part of one.
        seeding.register("moment ties", 85, seed_moment_ties)


def _register_stale_rows():
    from community.pages import invalidation

    from .events import Kind

    row = invalidation.row
    invalidation.extend({
        Kind.PURPOSE_REVISED: row(site=True),  # the home page shows the statement
        Kind.PROJECT_PROPOSED: row(project=True),
        # A new title shows on the pages of the moments tied to it (their threads).
        Kind.PROJECT_EDITED: row(project=True, thread=True),
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
        # The moment's page (its thread) says what it is part of; the project's lists it, and
        # so does the page of the project's partner, if it has one.
        Kind.PROJECT_MOMENT: row(project=True, organisation=True, thread=True),
    })


def _register_initiative_links():
    from community.host.strategy import links

    from . import selectors

    links.register(links.LinkKind(
        name="project", label=gettext_lazy("Purpose projects"),
        choices=selectors.initiative_link_choices,
        threads=selectors.initiative_link_threads))
