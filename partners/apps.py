from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partners"

    def ready(self):
        from community.demo import seeding
        from community.engine.events import register

        from . import events
        from .demo import seed_partner, seed_partner_content

        # The events partner work writes, declared here and read by the engine by their type.
        register(*events.KINDS)
        # After the people exist, before their posts are written (posts record the badge).
        seeding.register("partner organisation", 30, seed_partner)
        seeding.register("partner content", 70, seed_partner_content)
