from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partners"

    def ready(self):
        from community import seeding

        from .demo import seed_partner, seed_partner_content

        # After the people exist, before their posts are written (posts record the badge).
        seeding.register("partner organisation", 30, seed_partner)
        seeding.register("partner content", 70, seed_partner_content)
