from django.apps import AppConfig


class PurposeConfig(AppConfig):
    name = "purpose"
    verbose_name = "Shared purpose"

    def ready(self):
        from community.demo import seeding
        from community.engine import scoring
        from community.engine.events import register

        from . import events
        from .demo import seed_projects
        from .selectors import member_counters

        # The events projects write, declared here and read by the engine by their type.
        register(*events.KINDS)
        # Project work counts in members' collaboration and contribution scores.
        scoring.register_member_counters(member_counters)
        # After the demo's people and conversations exist.
        seeding.register("projects", 80, seed_projects)
