from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partners"

    def ready(self):
        from community.demo import seeding
        from community.engine import events, notifications

        from . import events as partner_events
        from .demo import seed_partner, seed_partner_content

        # The events partner work writes: their kinds, declared here and read by the engine
        # by their type, and the notice they make.
        events.register_kinds(partner_events.Kind)
        events.register(*partner_events.KINDS)
        notifications.register_notices(partner_events.Notice)
        # What each of them makes stale, in the speed layer's one table.
        _register_stale_rows()
        # What the hosts' marketing initiatives may link to on this app's side.
        _register_initiative_links()
        # After the people exist, before their posts are written (posts record the badge).
        seeding.register("partner organisation", 30, seed_partner)
        seeding.register("partner content", 70, seed_partner_content)


def _register_stale_rows():
    from community.pages import invalidation

    from .events import Kind

    row = invalidation.row
    invalidation.extend({
        Kind.PARTNER_APPLIED: row(organisation=True),
        Kind.PARTNER_DECIDED: row(organisation=True, thread=True),
        Kind.ORGANISATION_EDITED: row(organisation=True),  # credits show the name only
        Kind.PARTNER_JOINED: row(organisation=True),
        Kind.PARTNER_LEFT: row(organisation=True),
        Kind.PARTNER_PUBLISHED: row(organisation=True, thread=True, feed=True),
        Kind.COAUTHOR_INVITED: row(),
        Kind.COAUTHOR_ACCEPTED: row(thread=True, organisation=True),  # the credit names them
    })


def _register_initiative_links():
    from community.host.strategy import links

    from . import selectors

    links.register(links.LinkKind(
        name="offer", label="Partner offers", choices=selectors.initiative_link_choices,
        threads=selectors.initiative_link_threads))
