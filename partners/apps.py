from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partners"

    def ready(self):
        from community import moment_ties
        from community.demo import seeding
        from community.engine import events, notifications
        from community.services import drafts

        from . import drafts as partner_drafts
        from . import events as partner_events
        from . import moments as partner_moments
        from .demo import seed_partner, seed_partner_content

        # The events partner work writes: their kinds, declared here and read by the engine
        # by their type, and the notice they make.
        events.register_kinds(partner_events.Kind)
        events.register(*partner_events.KINDS)
        notifications.register_notices(partner_events.Notice)
        # What each of them makes stale, in the speed layer's one table.
        _register_stale_rows()
        # Hosts tie moments to partners: the choices, the tie and the moment page's line.
        moment_ties.register(partner_moments.PROVIDER)
        # Partner content keeps a draft as its author types.
        drafts.register_place("publish", partner_drafts.may_publish)
        # Live offers on a product's page, named by which are live now (the clock changes it).
        from community.commerce import panels

        from .offers import live_offers_name, offers_panel

        panels.register("offers", offers_panel, state=live_offers_name)
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
        # The moment's page (its thread) says who it is made with; the partner's lists it.
        Kind.ORGANISATION_MOMENT: row(organisation=True, thread=True),
        # An offer shows on its product's page (``product:<id>``) once approved and while
        # live; the clock's part is in the page's name (``offers.live_offers_name``). A
        # click changes a count that no kept page shows.
        Kind.OFFER_CREATED: row(product=True, organisation=True, people=False),
        Kind.OFFER_APPROVED: row(product=True, organisation=True, people=False),
        Kind.OFFER_WITHDRAWN: row(product=True, organisation=True, people=False),
        Kind.OFFER_EDITED: row(product=True, organisation=True, people=False),
        Kind.OFFER_CLICKED: row(people=False),
    })


def _register_initiative_links():
    from community.host.strategy import links

    from . import selectors

    links.register(links.LinkKind(
        name="offer", label=gettext_lazy("Partner offers"),
        choices=selectors.initiative_link_choices,
        threads=selectors.initiative_link_threads))
