"""Every URL name x every role -> the status a GET gets.

The table is the contract of who may open what. ``test_every_url_has_a_row`` walks the URL
resolver, so a new URL without a row fails here: each capability adds its rows.
"""
from dataclasses import dataclass, field

import pytest
from django.urls import get_resolver, reverse
from django.urls.resolvers import URLPattern, URLResolver

from community.engine import notifications
from community.models import Invitation, Notification, Thread
from community.services import conversations

from . import factories
from .conftest import ROLES, make_role_user, sign_in_as

ANON, UNVERIFIED, NEW, MEMBER, PARTNER, PARTNER_OTHER, STAFF, ADMIN = ROLES
SIGNED_IN = (NEW, MEMBER, PARTNER, PARTNER_OTHER, STAFF, ADMIN)


def everyone(status):
    return dict.fromkeys(ROLES, status)


def anon_then(anon_status, signed_in_status):
    return {ANON: anon_status, **dict.fromkeys(SIGNED_IN, signed_in_status)}


@dataclass
class Row:
    expected: dict[str, int]
    kwargs: object = field(default=lambda world, user: {})


def _world():
    """Objects that URLs point at, owned by somebody other than the visitor."""
    owner = factories.UserFactory(username="owner")
    answerer = factories.UserFactory(username="answerer")
    link = Invitation.objects.create(inviter=owner, kind=Invitation.Kind.LINK)
    space = factories.SpaceFactory(name="Kettles")
    question = conversations.thread_create(
        author=owner, space=space, kind=Thread.Kind.QUESTION,
        title="Which kettle for 20 litres?", body="Looking for advice.", tags=["kettles"],
    )
    answer = conversations.post_create(author=answerer, thread=question, body="The 30L one.")
    from community.host.listening import signals as listening

    grumble = conversations.post_create(author=answerer, thread=question,
                                        body="Great, another kettle that leaks 🙂")
    listening.signals_compute([grumble.pk])  # in the human-touch queue
    notice = Notification.objects.create(recipient=owner, kind=Notification.Kind.ANSWER,
                                         actor=answerer, thread=question, post=answer)
    from community.services.users import claim_token

    imported = factories.UserFactory(username="imported_se7", email=None, is_unclaimed=True)
    from purpose import services as purpose_services

    brand = factories.HostFactory(username="brandhost")
    revision = purpose_services.purpose_revise(editor=brand, statement="We brew together.",
                                               story="Yes.")
    project = purpose_services.project_propose(author=owner, title="Harvest ale",
                                               goal="One recipe", description="Together",
                                               space=space)
    purpose_services.project_status_set(actor=brand, project=project, to_status="open")
    need = purpose_services.need_add(actor=owner, project=project, kind="tool", name="Kettles",
                                     wanted=5)
    contribution = purpose_services.contribution_submit(author=owner, project=project,
                                                        kind="idea", title="Numbered bottles",
                                                        body="By kitchen")
    from partners import services as partner_services
    from partners.models import Organisation, PartnerInvitation

    organisation = factories.OrganisationFactory(name="Northfield Hop Farm")
    applied = factories.OrganisationFactory(name="Still Applying Ltd",
                                            status=Organisation.Status.APPLIED)
    colleague = factories.PartnerFactory(username="colleague", organisation=organisation)
    partner_post = partner_services.partner_publish(
        author=colleague, organisation=organisation, kind="howto", space=space,
        title="Growing hops on a balcony", body="Pots, strings, sun.", coauthors=[owner])
    invitation = PartnerInvitation.objects.create(
        organisation=organisation, email="new.colleague@example.com", invited_by=colleague)
    from community.services import collections

    collection = collections.collection_create(owner=owner, title="Kettle picks")
    item = collections.collection_item_add(actor=owner, collection=collection, thread=question)
    private = collections.collection_create(owner=owner, title="Mine only", is_public=False)
    from django.utils import timezone

    from community.services import moments

    moment = moments.moment_create(
        host=brand, space=space, title="Show us your kettle", brief="Photos or stories.",
        opens_at=timezone.now() - timezone.timedelta(hours=1),
        closes_at=timezone.now() + timezone.timedelta(days=3))
    entry = moments.entry_create(author=answerer, moment=moment, text="Mine is copper.")
    from community.commerce import catalogue
    from community.models import Product

    owned = Product.objects.create(sku="MATRIX-1", name="Matrix Kettle", slug="matrix-kettle")
    product = catalogue.product_create(host=brand, sku="K30", name="Summit kettle 30 L",
                                       space=space)
    product_image = catalogue.product_image_add(host=brand, product=product, upload=_image(),
                                                alt_text="The kettle")
    Thread.objects.filter(pk=question.pk).update(product=product)
    from partners import offers

    offer = offers.offer_create(
        actor=colleague, organisation=organisation, product=product, title="Hops with it",
        terms="10% off.", url="https://northfield.example.com/offer",
        starts_at=timezone.now() - timezone.timedelta(hours=1),
        ends_at=timezone.now() + timezone.timedelta(days=3))
    from datetime import date

    from community.host.strategy import services as strategy

    initiative = strategy.initiative_create(
        host=brand, name="Spring launch", owner="Email team", starts_on=date(2026, 3, 2),
        ends_on=date(2026, 3, 8), channel="email", placed=2, thread=question)
    deleted_initiative = strategy.initiative_create(
        host=brand, name="Old campaign", starts_on=date(2026, 1, 5),
        ends_on=date(2026, 1, 9), channel="social", placed=1)
    strategy.initiative_delete(host=brand, initiative=deleted_initiative)
    from community.api.webhooks import services as webhooks

    operator = factories.AdminFactory(username="operator")
    endpoint = webhooks.endpoint_create(admin=operator, url="http://127.0.0.1:9/hook",
                                        kinds=["thread_created"])
    delivery = webhooks.endpoint_ping(admin=operator, endpoint=endpoint)
    deleted_endpoint = webhooks.endpoint_create(admin=operator, url="http://127.0.0.1:9/old",
                                                kinds=["post_created"])
    webhooks.endpoint_delete(admin=operator, endpoint=deleted_endpoint)
    from community.api import tokens

    owner_token, _ = tokens.token_create(user=owner, name="Owner's sync", scopes=["read"])
    from community.api.oauth import services as oauth

    app, _ = oauth.app_register(admin=operator, name="Help desk",
                                redirect_uris="https://desk.example.com/cb",
                                client_type="confidential")
    return {
        "owner_token": owner_token, "app": app,
        "owned_product": owned, "product": product, "product_image": product_image,
        "offer": offer, "initiative": initiative, "deleted_initiative": deleted_initiative,
        "endpoint": endpoint, "deleted_endpoint": deleted_endpoint, "delivery": delivery,
        "moment": moment, "moment_entry": entry,
        "collection": collection, "collection_item": item, "private_collection": private,
        "organisation": organisation, "applied": applied, "colleague": colleague,
        "coauthor": partner_post.coauthors.get(), "partner_thread": partner_post.thread,
        "partner_invite_token": partner_services.invitation_token(invitation),
        "project": project, "need": need, "contribution": contribution,
        "revision": revision,
        "imported": imported,
        "claim_token": claim_token(imported, "imported@example.com"),
        "notice": notice,
        "unsubscribe_token": notifications.unsubscribe_token(
            owner.pk, notifications.Topic.NOTIFICATIONS),
        "owner": owner, "invite_token": link.token, "space": space, "thread": question,
        "tag": question.tags.get(),
        "answer": answer, "grumble": grumble, "answerer": answerer,
    }


def space_kw(w, u):
    return {"slug": w["space"].slug}


def tag_kw(w, u):
    return {"name": w["tag"].name}


def thread_kw(w, u):
    return {"pk": w["thread"].pk}


def answer_kw(w, u):
    return {"pk": w["answer"].pk}


def org_kw(w, u):
    return {"slug": w["organisation"].slug}


def colleague_kw(w, u):
    return {"slug": w["organisation"].slug, "username": w["colleague"].username}


def project_kw(w, u):
    return {"slug": w["project"].slug}


def need_kw(w, u):
    return {"slug": w["project"].slug, "pk": w["need"].pk}


def contribution_kw(w, u):
    return {"pk": w["contribution"].pk}


def collection_kw(w, u):
    return {"pk": w["collection"].pk}


def collection_item_kw(w, u):
    return {"pk": w["collection_item"].pk}


def moment_kw(w, u):
    return {"pk": w["moment"].pk}


def moment_entry_kw(w, u):
    return {"pk": w["moment_entry"].pk}


def sku_kw(w, u):
    return {"sku": w["product"].sku}


def offer_kw(w, u):
    return {"pk": w["offer"].pk}


def product_kw(w, u):
    return {"slug": w["product"].slug}


def product_image_kw(w, u):
    return {"pk": w["product_image"].pk}


def initiative_kw(w, u):
    return {"pk": w["initiative"].pk}


def deleted_initiative_kw(w, u):
    return {"pk": w["deleted_initiative"].pk}


MEMBERS_ONLY_POST = anon_then(302, 405)  # GET on a form's target: login first, then 405
HOSTS_ONLY = {ANON: 302, NEW: 403, MEMBER: 403, PARTNER: 403, PARTNER_OTHER: 403, STAFF: 200,
              ADMIN: 200}
ADMINS_ONLY = {**HOSTS_ONLY, STAFF: 403}


def app_kw(w, u):
    return {"pk": w["app"].pk}


def endpoint_kw(w, u):
    return {"pk": w["endpoint"].pk}


def deleted_endpoint_kw(w, u):
    return {"pk": w["deleted_endpoint"].pk}


def delivery_kw(w, u):
    return {"pk": w["delivery"].pk}


# Pages of the world's partner organisation: its people (the "partner" role) and nobody
# else, or its people and the hosts.
ORG_PEOPLE = {**anon_then(302, 403), PARTNER: 200}
ORG_PEOPLE_AND_HOSTS = {**ORG_PEOPLE, STAFF: 200, ADMIN: 200}


MATRIX: dict[str, Row] = {
    # Pages
    "home": Row(everyone(200)),
    "healthz": Row(everyone(200)),
    "brand_css": Row(everyone(200)),
    # The installable app: public files every browser fetches; push devices: members' POSTs
    "service_worker": Row(everyone(200)),
    "web_manifest": Row(everyone(200)),
    "app_icon": Row(everyone(200), lambda w, u: {"name": "maskable-512"}),
    "offline": Row(everyone(200)),
    "push_subscribe": Row(MEMBERS_ONLY_POST),
    "push_unsubscribe": Row(MEMBERS_ONLY_POST),
    "push_renew": Row(everyone(405)),  # the service worker's POST only
    # A GET is refused before any device is looked up (POST_MATRIX: someone else's).
    "push_device_remove": Row(MEMBERS_ONLY_POST, lambda w, u: {"pk": 1}),
    "set_language": Row(everyone(405)),  # the footer's picker takes a POST only
    "profile": Row(everyone(200), lambda w, u: {"username": w["owner"].username}),
    "profile_edit": Row(anon_then(302, 200)),
    # The first-visit welcome: every signed-in person until they finish or skip it.
    "welcome": Row(anon_then(302, 200)),
    "account_delete": Row({**anon_then(302, 200), ADMIN: 403}),
    "invite": Row(anon_then(302, 200)),
    # A member following an invite is already in: sent home with a message.
    "invite_accept": Row(anon_then(200, 302), lambda w, u: {"token": w["invite_token"]}),
    # Conversations
    "space": Row(everyone(200), space_kw),
    "space_follow": Row(MEMBERS_ONLY_POST, space_kw),
    "space_level": Row(MEMBERS_ONLY_POST, space_kw),
    "tags": Row(everyone(200)),
    "tag": Row(everyone(200), tag_kw),
    "tag_follow": Row(MEMBERS_ONLY_POST, tag_kw),
    "tag_feed": Row(everyone(200), tag_kw),
    "space_feed": Row(everyone(200), space_kw),
    "latest_feed": Row(everyone(200)),
    "search": Row(everyone(200)),
    "ask": Row(anon_then(302, 200)),
    "discuss": Row(anon_then(302, 200)),
    "announce": Row(HOSTS_ONLY),
    "similar_questions": Row(everyone(200)),
    "thread": Row(everyone(200), lambda w, u: {"pk": w["thread"].pk, "slug": w["thread"].slug}),
    "thread_reply": Row(MEMBERS_ONLY_POST, thread_kw),
    "thread_follow": Row(MEMBERS_ONLY_POST, thread_kw),
    "thread_level": Row(MEMBERS_ONLY_POST, thread_kw),
    "image_upload": Row(MEMBERS_ONLY_POST),
    "compose_preview": Row(MEMBERS_ONLY_POST),
    "draft_save": Row(MEMBERS_ONLY_POST),
    "compose_suggest": Row(anon_then(302, 200)),
    "post_permalink": Row(everyone(302), answer_kw),
    "post_vote": Row(MEMBERS_ONLY_POST, lambda w, u: {"pk": w["answer"].pk, "kind": "like"}),
    "post_accept": Row(MEMBERS_ONLY_POST, answer_kw),
    # Someone else's post: only its author edits; hosts may delete and read its history.
    "post_edit": Row(anon_then(302, 403), answer_kw),
    "post_delete": Row(HOSTS_ONLY, answer_kw),
    "post_history": Row(HOSTS_ONLY, answer_kw),
    # Anyone signed in may flag someone else's post.
    "post_flag": Row(anon_then(302, 200), answer_kw),
    # Collections (someone else's public one; private ones: tests/community/test_collections)
    "collection_list": Row(everyone(200)),
    "collection_mine": Row(anon_then(302, 200)),
    "collection_create": Row(anon_then(302, 200)),
    # Without a thread or post to add there is nothing to show.
    "collection_add": Row(anon_then(302, 404)),
    "collection": Row(everyone(200), collection_kw),
    "collection_edit": Row(anon_then(302, 403), collection_kw),
    "collection_delete": Row(anon_then(302, 403), collection_kw),
    "collection_restore": Row(MEMBERS_ONLY_POST, collection_kw),
    "collection_follow": Row(MEMBERS_ONLY_POST, collection_kw),
    "collection_feature": Row(MEMBERS_ONLY_POST, collection_kw),
    "collection_item_move": Row(MEMBERS_ONLY_POST, collection_item_kw),
    "collection_item_remove": Row(MEMBERS_ONLY_POST, collection_item_kw),
    # Moments: everyone reads; members answer; hosts start, edit, close, feature, measure.
    "moment_list": Row(everyone(200)),
    "moment_create": Row(HOSTS_ONLY),
    "moment": Row(everyone(200), moment_kw),
    "moment_enter": Row(MEMBERS_ONLY_POST, moment_kw),
    "moment_edit": Row(HOSTS_ONLY, moment_kw),
    "moment_close": Row(MEMBERS_ONLY_POST, moment_kw),
    "entry_feature": Row(MEMBERS_ONLY_POST, moment_entry_kw),
    "moment_reach": Row(HOSTS_ONLY),
    # The shop's widget: public like the product's questions; the demo shop in development.
    "widget": Row(everyone(200), sku_kw),
    "widget_json": Row(everyone(200), sku_kw),
    "demo_shop": Row(everyone(200)),
    "demo_shop_product": Row(everyone(200), sku_kw),
    # The catalogue: everyone reads; hosts add, edit and picture products.
    "products": Row(everyone(200)),
    "product": Row(everyone(200), product_kw),
    "host_products": Row(HOSTS_ONLY),
    "product_create": Row(HOSTS_ONLY),
    "product_edit": Row(HOSTS_ONLY, product_kw),
    "product_images": Row(HOSTS_ONLY, product_kw),
    "product_image_remove": Row(MEMBERS_ONLY_POST, product_image_kw),
    # Notifications: someone else's notice is not found; unsubscribing needs only the link.
    "notifications": Row(anon_then(302, 200)),
    "notification_bell": Row(anon_then(302, 200)),
    "notifications_read_all": Row(MEMBERS_ONLY_POST),
    "notification_open": Row(anon_then(302, 404), lambda w, u: {"pk": w["notice"].pk}),
    "notification_settings": Row(anon_then(302, 200)),
    "notices_pause": Row(MEMBERS_ONLY_POST),
    "notices_resume": Row(MEMBERS_ONLY_POST),
    "unsubscribe": Row(everyone(200), lambda w, u: {"token": w["unsubscribe_token"]}),
    # Host tools
    "advocates": Row(HOSTS_ONLY),
    "host_dashboard": Row(HOSTS_ONLY),
    "style_guide": Row(HOSTS_ONLY),
    "review_queue": Row(HOSTS_ONLY),
    "review_edit": Row(HOSTS_ONLY, answer_kw),
    "review_action": Row(MEMBERS_ONLY_POST,
                         lambda w, u: {"pk": w["answer"].pk, "action": "approve"}),
    "member_suspend": Row(HOSTS_ONLY, lambda w, u: {"username": w["owner"].username}),
    "member_unsuspend": Row(MEMBERS_ONLY_POST,
                            lambda w, u: {"username": w["owner"].username}),
    "welcome_queue": Row(HOSTS_ONLY),
    "claim_link": Row(HOSTS_ONLY, lambda w, u: {"username": w["imported"].username}),
    "member_sessions_end": Row(MEMBERS_ONLY_POST, lambda w, u: {"username": w["owner"].username}),
    # The link is the key: whoever holds it sees the form.
    "account_claim": Row(everyone(200), lambda w, u: {"token": w["claim_token"]}),
    "my_data": Row(anon_then(302, 200)),
    "my_data_download": Row(anon_then(302, 200)),
    "welcome_member": Row(MEMBERS_ONLY_POST,
                          lambda w, u: {"pk": w["owner"].pk}),
    "moderation_log": Row(HOSTS_ONLY),
    "thread_tools": Row(HOSTS_ONLY, thread_kw),
    "thread_tool": Row(MEMBERS_ONLY_POST,
                       lambda w, u: {"pk": w["thread"].pk, "tool": "pin"}),
    "host_dashboard_csv": Row(HOSTS_ONLY),
    # Strategy: the brand's initiatives and the growth figures, the host team's alone.
    "host_strategy": Row(HOSTS_ONLY),
    "initiative_create": Row(HOSTS_ONLY),
    "initiative_edit": Row(HOSTS_ONLY, initiative_kw),
    "initiative_delete": Row(HOSTS_ONLY, initiative_kw),
    "initiative_restore": Row(MEMBERS_ONLY_POST, deleted_initiative_kw),
    # Webhooks: the site's admins alone (not every host); the writes are POST only.
    "webhook_list": Row(ADMINS_ONLY),
    "webhook_create": Row(ADMINS_ONLY),
    "webhook_detail": Row(ADMINS_ONLY, endpoint_kw),
    "webhook_edit": Row(ADMINS_ONLY, endpoint_kw),
    "webhook_delete": Row(ADMINS_ONLY, endpoint_kw),
    "webhook_toggle": Row(MEMBERS_ONLY_POST, endpoint_kw),
    "webhook_rotate": Row(MEMBERS_ONLY_POST, endpoint_kw),
    "webhook_restore": Row(MEMBERS_ONLY_POST, deleted_endpoint_kw),
    "webhook_ping": Row(MEMBERS_ONLY_POST, endpoint_kw),
    "webhook_resend": Row(MEMBERS_ONLY_POST, delivery_kw),
    "strategy_worksheet": Row(HOSTS_ONLY),
    "strategy_csv": Row(HOSTS_ONLY),
    "host_growth": Row(HOSTS_ONLY),
    "host_growth_csv": Row(HOSTS_ONLY),
    "host_dominated": Row(HOSTS_ONLY),
    # Listening: the map, a member's posts behind their dot, the human-touch queue and its
    # decisions, the weekly digest: hosts only.
    "listening": Row(HOSTS_ONLY),
    "listening_member": Row(HOSTS_ONLY, lambda w, u: {"username": w["answerer"].username}),
    "listening_touch": Row(HOSTS_ONLY),
    "touch_decide": Row(MEMBERS_ONLY_POST,
                        lambda w, u: {"pk": w["grumble"].pk, "decision": "answered"}),
    "listening_digest": Row(HOSTS_ONLY),
    # Shared purpose and projects (someone else's project, need and contribution)
    "purpose:purpose": Row(everyone(200)),
    "purpose:purpose_edit": Row(HOSTS_ONLY),
    "purpose:purpose_history": Row(everyone(200)),
    "purpose:purpose_restore": Row(MEMBERS_ONLY_POST, lambda w, u: {"pk": w["revision"].pk}),
    "purpose:projects": Row(everyone(200)),
    "purpose:project_propose": Row(anon_then(302, 200)),
    "purpose:my_projects": Row(anon_then(302, 200)),
    "purpose:project": Row(everyone(200), project_kw),
    "purpose:project_edit": Row(HOSTS_ONLY, project_kw),
    "purpose:project_status": Row(MEMBERS_ONLY_POST, project_kw),
    "purpose:project_join": Row(MEMBERS_ONLY_POST, project_kw),
    "purpose:project_leave": Row(MEMBERS_ONLY_POST, project_kw),
    "purpose:project_follow": Row(MEMBERS_ONLY_POST, project_kw),
    "purpose:project_role": Row(MEMBERS_ONLY_POST, lambda w, u: {
        "slug": w["project"].slug, "username": w["owner"].username}),
    "purpose:need_add": Row(MEMBERS_ONLY_POST, project_kw),
    "purpose:need_remove": Row(MEMBERS_ONLY_POST, need_kw),
    "purpose:need_pledge": Row(MEMBERS_ONLY_POST, need_kw),
    "purpose:project_updates": Row(everyone(200), project_kw),
    "purpose:project_update": Row(MEMBERS_ONLY_POST, project_kw),
    "purpose:project_discuss": Row(anon_then(302, 200), project_kw),
    "purpose:project_voting": Row(MEMBERS_ONLY_POST, project_kw),
    "purpose:project_contributions": Row(everyone(200), project_kw),
    "purpose:contribute": Row(anon_then(302, 200), project_kw),
    "purpose:contribution": Row(everyone(200), contribution_kw),
    "purpose:contribution_edit": Row(anon_then(302, 403), contribution_kw),
    "purpose:contribution_vote": Row(MEMBERS_ONLY_POST, contribution_kw),
    "purpose:contribution_confirm": Row(MEMBERS_ONLY_POST, contribution_kw),
    # Partners (the world's organisation; "partner" is one of its people, "partner_other"
    # belongs to another organisation only)
    "partners:organisations": Row(everyone(200)),
    "partners:apply": Row(anon_then(302, 200)),
    "partners:review": Row(HOSTS_ONLY),
    "partners:organisation": Row(everyone(200), org_kw),
    "partners:decide": Row(MEMBERS_ONLY_POST, org_kw),
    "partners:edit": Row(ORG_PEOPLE, org_kw),
    "partners:people": Row(ORG_PEOPLE, org_kw),
    "partners:person_remove": Row(MEMBERS_ONLY_POST, colleague_kw),
    "partners:person_admin": Row(MEMBERS_ONLY_POST, colleague_kw),
    "partners:publish": Row(ORG_PEOPLE, org_kw),
    "partners:insights": Row(ORG_PEOPLE_AND_HOSTS, org_kw),
    # The link is the key for the page; accepting it checks the address (a POST).
    "partners:invitation": Row(everyone(200), lambda w, u: {"token": w["partner_invite_token"]}),
    # Someone else's co-author invitation: not found for everybody but its invitee.
    "partners:coauthor": Row(anon_then(302, 404), lambda w, u: {"pk": w["coauthor"].pk}),
    # Offers: the organisation's people and the hosts put them up; hosts approve; anyone
    # follows a live one (a counted redirect to its own address).
    "partners:offers": Row(ORG_PEOPLE_AND_HOSTS, org_kw),
    "partners:offer_approve": Row(MEMBERS_ONLY_POST, offer_kw),
    "partners:offer_withdraw": Row(MEMBERS_ONLY_POST, offer_kw),
    "partners:offer_edit": Row(ORG_PEOPLE_AND_HOSTS, offer_kw),
    "partners:offer_go": Row(everyone(302), offer_kw),
    # Identity (django-allauth): signed-in visitors are sent on from the sign-in pages.
    "account_login": Row(anon_then(200, 302)),
    "account_signup": Row(anon_then(200, 302)),
    "account_logout": Row(anon_then(302, 200)),
    "account_inactive": Row(everyone(200)),
    "account_reauthenticate": Row(anon_then(302, 200)),
    # Or by a code mailed to the member's address; the confirm step needs a code sent first.
    "account_request_reauthentication_code": Row(anon_then(302, 200)),
    "account_confirm_reauthentication_code": Row(anon_then(302, 302)),
    "account_email": Row(anon_then(302, 200)),
    "account_email_verification_sent": Row(everyone(200)),
    "account_change_password": Row(anon_then(302, 200)),
    "account_set_password": Row(anon_then(302, 302)),
    "account_reset_password": Row(everyone(200)),
    "account_reset_password_done": Row(everyone(200)),
    "account_reset_password_from_key": Row(
        everyone(200), lambda w, u: {"uidb36": "zz", "key": "forged-key"}
    ),
    "account_reset_password_from_key_done": Row(everyone(200)),
    "account_confirm_email": Row(everyone(200), lambda w, u: {"key": "forged-key"}),
    "account_confirm_login_code": Row(everyone(302)),
    "usersessions_list": Row(anon_then(302, 200)),
    "socialaccount_connections": Row(anon_then(302, 200)),
    "socialaccount_signup": Row(everyone(302)),
    "socialaccount_login_cancelled": Row(everyone(200)),
    "socialaccount_login_error": Row(everyone(401)),
    # Providers that are not configured in the admin answer 404, never 500.
    "google_login": Row(everyone(404)),
    "google_callback": Row(everyone(404)),
    "google_login_by_token": Row(everyone(404)),
    "openid_connect_login": Row(everyone(404), lambda w, u: {"provider_id": "absent"}),
    "openid_connect_callback": Row(everyone(404), lambda w, u: {"provider_id": "absent"}),
    # SAML single sign-on, not configured here (tests/community/test_saml_login.py is): its
    # pages answer 404, except the assertion consumer, which keeps what was posted and
    # sends everyone on to the finish step (which then refuses: no IdP, no response).
    "saml_login": Row(everyone(404), lambda w, u: {"organization_slug": "absent"}),
    "saml_acs": Row(everyone(302), lambda w, u: {"organization_slug": "absent"}),
    "saml_finish_acs": Row(everyone(404), lambda w, u: {"organization_slug": "absent"}),
    "saml_sls": Row(everyone(404), lambda w, u: {"organization_slug": "absent"}),
    "saml_metadata": Row(everyone(404), lambda w, u: {"organization_slug": "absent"}),
    # Ownership: "I own this" is a form's target; the shop's webhook takes only its signed
    # POST; an owner's ask link opens the thread for everyone (it signs nobody in).
    "product_own": Row(MEMBERS_ONLY_POST, lambda w, u: {"slug": _product(w).slug}),
    "shop_purchase_webhook": Row(everyone(405)),
    # A mail provider's inbound hook for replies by email: only its signed POST.
    "mail_inbound": Row(everyone(405)),
    "owner_ask": Row(everyone(302), lambda w, u: {"token": _ask_token(w)}),
}


# The public API (/api/v1/, signed in through the session here; tokens: API_MATRIX below).
# Reads are public where the page is; writes answer GET with 405, or 401 before sign-in
# where the resource is for the signed-in only.
API_NEEDS_SIGN_IN = anon_then(401, 405)
HOSTS_ONLY_API = {ANON: 401, NEW: 403, MEMBER: 403, PARTNER: 403, PARTNER_OTHER: 403,
                  STAFF: 200, ADMIN: 200}
MATRIX.update({
    "api:schema": Row(everyone(200)),
    "api:docs": Row(everyone(200)),
    "api:space-list": Row(everyone(200)),
    "api:space-detail": Row(everyone(200), space_kw),
    "api:tag-list": Row(everyone(200)),
    "api:thread-list": Row(everyone(200)),
    "api:thread-detail": Row(everyone(200), thread_kw),
    "api:thread-posts": Row(everyone(200), thread_kw),
    "api:post-detail": Row(everyone(200), answer_kw),
    "api:post-helpful": Row(everyone(405), answer_kw),
    "api:post-moderation": Row(API_NEEDS_SIGN_IN, answer_kw),
    "api:member-detail": Row(everyone(200), lambda w, u: {"username": w["owner"].username}),
    "api:search": Row(everyone(200)),
    "api:health": Row(HOSTS_ONLY_API),
    "api:project-list": Row(everyone(200)),
    "api:project-detail": Row(everyone(200), project_kw),
    "api:organisation-list": Row(everyone(200)),
    "api:organisation-detail": Row(everyone(200), org_kw),
    # Access tokens: one's own page; someone else's token is not found.
    "api_tokens": Row(anon_then(302, 200)),
    "api_token_revoke": Row(anon_then(302, 404), lambda w, u: {"pk": w["owner_token"].pk}),
    # Third-party apps: the consent page without an app's request says so (400); the token
    # and revocation endpoints take POSTs from apps only; one's own authorised apps (an
    # app one never authorised is not found); the admins register and remove apps.
    "oauth:authorize": Row(anon_then(302, 400)),
    "oauth:token": Row(everyone(405)),
    # /stream/ on the WSGI pages: the stream is the ASGI process's (test_stream_matrix)
    "stream_elsewhere": Row(everyone(404)),
    "oauth:revoke": Row(everyone(405)),
    "oauth_authorised": Row(anon_then(302, 200)),
    "oauth_authorised_revoke": Row(anon_then(302, 404), app_kw),
    "oauth_app_list": Row(ADMINS_ONLY),
    "oauth_app_create": Row(ADMINS_ONLY),
    "oauth_app_detail": Row(ADMINS_ONLY, app_kw),
    "oauth_app_delete": Row(ADMINS_ONLY, app_kw),
})


# The API's writes for every role, each with a token of every scope its role allows: the
# same predicates as the pages (someone else's question and answer).
API_WRITES = {
    "api:thread-list": ("post", anon_then(401, 201), lambda w, u: {}, lambda w: {
        "space": w["space"].slug, "kind": "question", "title": "Which yeast for a lager?",
        "body": "Cold and slow."}),
    "api:thread-posts": ("post", anon_then(401, 201), thread_kw, lambda w: {"body": "Me too."}),
    "api:post-helpful": ("post", anon_then(401, 200), answer_kw, lambda w: {}),
    "api:post-detail": ("patch", anon_then(401, 403), answer_kw,
                        lambda w: {"body": "Changed by someone else"}),
    "api:post-moderation": ("post", HOSTS_ONLY_API, answer_kw,
                            lambda w: {"action": "hide", "reason": "Testing"}),
}


# Both kinds of token: a personal access token, and a third-party app's OAuth 2 token
# granted on the consent page (tests/api/test_oauth.py for the flow); the same rules.
TOKEN_KINDS = ("personal", "app")


def _api_client(role, user, scopes=None, kind="personal"):
    from django.test import Client

    from community.api import tokens

    from .api.conftest import app_token_for

    if role == UNVERIFIED or user is None:  # cannot sign in, so cannot make a token
        return Client(), {}
    granted = scopes if scopes is not None else tokens.allowed_scopes(user)
    if kind == "app":
        secret = app_token_for(user, *granted)
    else:
        _, secret = tokens.token_create(user=user, name="Matrix", scopes=granted)
    return Client(), {"Authorization": f"Bearer {secret}"}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", TOKEN_KINDS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", sorted(API_WRITES))
def test_api_write_matrix(world, url_name, role, kind):
    method, table, kwargs, data = API_WRITES[url_name]
    client, headers = _api_client(role, _visitor(world, role), kind=kind)
    response = getattr(client, method)(reverse(url_name, kwargs=kwargs(world, None)),
                                       data(world), content_type="application/json",
                                       headers=headers)
    expected = _expected(table, role)
    assert response.status_code == expected, (
        f"{role} {method.upper()} {url_name} -> {response.status_code}, expected {expected}: "
        f"{response.content[:200]}")


# Token scopes x what they allow, for an admin (whose role allows every scope): reads need
# read (every token has it), writes write, the host tools moderate.
SCOPE_SETS = {"read": ["read"], "write": ["read", "write"], "moderate": ["read", "moderate"],
              "admin": ["read", "admin"]}
SCOPE_REQUESTS = {
    "read a thread list": ("get", "api:thread-list", lambda w, u: {}, None, "read", 200),
    "reply": ("post", "api:thread-posts", thread_kw, {"body": "Me too."}, "write", 201),
    "vote": ("post", "api:post-helpful", answer_kw, {}, "write", 200),
    "read the health figures": ("get", "api:health", lambda w, u: {}, None, "moderate", 200),
    "hide a post": ("post", "api:post-moderation", answer_kw, {"action": "hide"}, "moderate",
                    200),
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", TOKEN_KINDS)
@pytest.mark.parametrize("scopes", sorted(SCOPE_SETS))
@pytest.mark.parametrize("request_name", sorted(SCOPE_REQUESTS))
def test_api_token_scope_matrix(world, request_name, scopes, kind):
    method, url_name, kwargs, data, needs, allowed = SCOPE_REQUESTS[request_name]
    client, headers = _api_client(ADMIN, make_role_user(ADMIN), SCOPE_SETS[scopes], kind)
    url = reverse(url_name, kwargs=kwargs(world, None))
    if method == "get":
        response = client.get(url, headers=headers)
    else:
        response = client.post(url, data, content_type="application/json", headers=headers)
    expected = allowed if needs in SCOPE_SETS[scopes] else 403
    assert response.status_code == expected, (
        f"a {scopes} token: {request_name} -> {response.status_code}, expected {expected}")
    if expected == 403:
        assert response.json()["detail"] == f"This token does not have the {needs} scope."


def _product(w):
    return w["owned_product"]


def _ask_token(w):
    from community.commerce.asks import ask_token

    return ask_token(thread_id=w["thread"].pk, member_id=w["owner"].pk)


def _url_names(patterns, namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            if ns == "admin":  # Django's admin guards itself; see test_admin_is_admin_only
                continue
            yield from _url_names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}:{p.name}" if namespace else p.name


def test_every_url_has_a_row():
    names = set(_url_names(get_resolver().url_patterns))
    missing = sorted(names - MATRIX.keys())
    stale = sorted(MATRIX.keys() - names)
    assert not missing, f"URLs without a permission-matrix row: {missing}"
    assert not stale, f"Rows for URLs that no longer exist: {stale}"


def _as_each_role(settings, world, visit) -> list[str]:
    """``visit(client, role, user)`` for every role against one ``world``, each role in a
    savepoint rolled back after it (its user, its writes) and with a cache prefix of its
    own, as if each were a test of its own; returns the mismatches. One world per URL
    rather than per URL and role: building it is most of what the matrix costs."""
    import uuid

    from django.db import transaction
    from django.test import Client

    wrong = []
    for role in ROLES:
        settings.CACHES = {**settings.CACHES, "default": {
            **settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex[:12]}"}}
        with transaction.atomic():
            client = Client()
            user = _visitor(world, role)
            sign_in_as(client, role, user)
            problem = visit(client, role, user)
            if problem:
                wrong.append(problem)
            transaction.set_rollback(True)
    return wrong


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_matrix(settings, world, url_name):
    row = MATRIX[url_name]

    def visit(client, role, user):
        url = reverse(url_name, kwargs=row.kwargs(world, user))
        response = client.get(url)
        expected = _expected(row.expected, role)
        if response.status_code != expected:
            return f"{role} GET {url} -> {response.status_code}, expected {expected}"
        return None

    wrong = _as_each_role(settings, world, visit)
    assert not wrong, "\n".join(wrong)


def _visitor(world, role):
    """The role's user; a "partner" is one of the world organisation's people (an admin)."""
    from partners.models import PartnerMembership

    user = make_role_user(role)
    if role == PARTNER:
        PartnerMembership.objects.create(user=user, organisation=world["organisation"],
                                         is_admin=True)
    return user


def _expected(table: dict, role: str) -> int:
    """A row that does not name "partner_other" expects for it what it expects for a
    partner: only rows about an organisation tell the two apart. An unverified account
    cannot sign in, so it is anonymous everywhere."""
    if role == UNVERIFIED:
        return table[ANON]
    return table[role] if role in table else table[PARTNER]


def push_device(world):
    """The world owner's push device (nobody else may remove it)."""
    from community.models import PushSubscription

    return PushSubscription.objects.get_or_create(
        member=world["owner"], endpoint="https://push.example.com/owner",
        defaults={"p256dh": "x", "auth": "y"})[0]


# Writes: who may POST what (someone else's question and answer).
POST_MATRIX = {
    # Someone else's push device is not found; the browser's unsubscribe wants JSON.
    "push_device_remove": (anon_then(302, 404), lambda w, u: {"pk": push_device(w).pk}, {}),
    "push_unsubscribe": (anon_then(302, 400), lambda w, u: {}, {"endpoint": "form, not JSON"}),
    # The service worker's renewal proves the device itself, whoever is signed in: a form is
    # no subscription, for everyone.
    "push_renew": (everyone(400), lambda w, u: {}, {"old": "form, not JSON"}),
    "post_vote": ({ANON: 302, **dict.fromkeys(SIGNED_IN, 302)},
                  lambda w, u: {"pk": w["answer"].pk, "kind": "like"}, {}),
    "post_accept": ({ANON: 302, NEW: 403, MEMBER: 403, PARTNER: 403, STAFF: 302, ADMIN: 302},
                    answer_kw, {}),
    "post_edit": (anon_then(302, 403), answer_kw, {"body": "Changed by someone else"}),
    "post_delete": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302}, answer_kw, {}),
    "thread_reply": (anon_then(302, 302), thread_kw, {"body": "Me too."}),
    "thread_follow": (anon_then(302, 302), thread_kw, {"follow": "1"}),
    # Everyone who may post adds photos (suspended members: tests/community/test_post_images).
    "image_upload": (anon_then(302, 201), lambda w, u: {},
                     {"image": "IMAGE", "alt_text": "A kettle on the hob"}),
    # The composer's preview: anyone who may post (suspended members: test_composer).
    "compose_preview": (anon_then(302, 200), lambda w, u: {}, {"body": "**Hello**"}),
    # A draft for someone else's post is not one's own to keep (tests/community/test_drafts).
    "draft_save": (anon_then(302, 403), lambda w, u: {},
                   {"place": "EDIT_ANSWER", "body": "Not mine"}),
    "space_follow": (anon_then(302, 302), space_kw, {"follow": "1"}),
    "tag_follow": (anon_then(302, 302), tag_kw, {"follow": "1"}),
    # A level of a thread or a space, the pause and its end: members only, back to a page.
    "thread_level": (anon_then(302, 302), thread_kw, {"level": "muted"}),
    "space_level": (anon_then(302, 302), space_kw, {"level": "watching"}),
    "notices_pause": (anon_then(302, 302), lambda w, u: {}, {"length": "1w"}),
    "notices_resume": (anon_then(302, 302), lambda w, u: {}, {}),
    # Anyone may choose a language (back where they were); a member's is saved too.
    "set_language": (everyone(302), lambda w, u: {}, {"language": "es"}),
    "welcome": (anon_then(302, 302), lambda w, u: {}, {"skip": "1"}),
    "post_flag": (anon_then(302, 302), answer_kw, {"reason": "spam"}),
    "review_action": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302},
                      lambda w, u: {"pk": w["answer"].pk, "action": "hide"}, {}),
    "review_edit": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302}, answer_kw, {"body": "Masked."}),
    "member_suspend": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302},
                       lambda w, u: {"username": w["owner"].username},
                       {"reason": "Spam", "days": "7"}),
    "member_unsuspend": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302},
                         lambda w, u: {"username": w["owner"].username}, {}),
    "member_sessions_end": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302},
                            lambda w, u: {"username": w["owner"].username}, {}),
    "welcome_member": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302},
                       lambda w, u: {"pk": w["owner"].pk}, {}),
    "thread_tool": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302},
                    lambda w, u: {"pk": w["thread"].pk, "tool": "lock"}, {}),
    "touch_decide": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302},
                     lambda w, u: {"pk": w["grumble"].pk, "decision": "dismissed"}, {}),
    # Projects: anyone taking part joins, pledges and votes; the lead (not the visitor)
    # and hosts manage; only hosts edit the purpose and confirm winners.
    "purpose:purpose_edit": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302}, lambda w, u: {},
                             {"statement": "Changed", "story": "Changed too"}),
    "purpose:purpose_restore": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302},
                                lambda w, u: {"pk": w["revision"].pk}, {}),
    "purpose:project_join": (anon_then(302, 302), project_kw, {}),
    "purpose:project_follow": (anon_then(302, 302), project_kw, {"follow": "1"}),
    "purpose:project_status": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302}, project_kw,
                               {"status": "building"}),
    "purpose:project_edit": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302}, project_kw,
                             {"title": "Renamed", "goal": "g", "description": "d"}),
    "purpose:project_role": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302}, lambda w, u: {
        "slug": w["project"].slug, "username": w["owner"].username}, {"role": "lead"}),
    "purpose:need_add": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302}, project_kw,
                         {"kind": "tool", "name": "Pots", "wanted": "2"}),
    "purpose:need_remove": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302}, need_kw, {}),
    "purpose:need_pledge": (anon_then(302, 302), need_kw, {"quantity": "1"}),
    "purpose:project_update": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302}, project_kw,
                               {"body": "News", "nonce": "n"}),
    "purpose:project_voting": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302}, project_kw,
                               {"closes_at": ""}),
    "purpose:contribution_vote": (anon_then(302, 302), contribution_kw, {}),
    "purpose:contribution_edit": (anon_then(302, 403), contribution_kw,
                                  {"title": "Hijacked", "body": "x"}),
    "purpose:contribution_confirm": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302},
                                     contribution_kw, {}),
    # Partners: only the organisation's people publish and manage it; hosts decide.
    "partners:decide": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302}, org_kw,
                        {"decision": "verify"}),
    "partners:edit": ({**ORG_PEOPLE, PARTNER: 302}, org_kw,
                      {"description": "Changed by someone", "website": "", "links": ""}),
    "partners:people": ({**ORG_PEOPLE, PARTNER: 302}, org_kw,
                        {"email": "someone@example.com"}),
    # Removing a colleague: their admins and the hosts.
    "partners:person_remove": ({**ORG_PEOPLE, PARTNER: 302, STAFF: 302, ADMIN: 302},
                               colleague_kw, {}),
    "partners:person_admin": ({**ORG_PEOPLE, PARTNER: 302}, colleague_kw, {}),
    "partners:publish": ({**ORG_PEOPLE, PARTNER: 302}, org_kw, {
        "kind": "howto", "space": "SPACE", "title": "A how-to from the farm",
        "body": "Steps.", "nonce": "pub"}),
    "partners:coauthor": (anon_then(302, 404), lambda w, u: {"pk": w["coauthor"].pk},
                          {"answer": "accept"}),
    # Collections: someone else's is theirs to change; anyone signed in follows a public
    # one; hosts feature; a collection that is not one's own is not found for restoring.
    "collection_edit": (anon_then(302, 403), collection_kw,
                        {"title": "Hijacked", "is_public": "public"}),
    "collection_delete": (anon_then(302, 403), collection_kw, {}),
    "collection_restore": (anon_then(302, 404), collection_kw, {}),
    "collection_follow": (anon_then(302, 302), collection_kw, {"follow": "1"}),
    "collection_feature": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302}, collection_kw,
                           {"featured": "1"}),
    "collection_item_move": (anon_then(302, 403), collection_item_kw, {"direction": "down"}),
    "collection_item_remove": (anon_then(302, 403), collection_item_kw, {}),
    # Moments: members taking part answer an open one; only hosts start, edit, close and
    # feature.
    "moment_enter": (anon_then(302, 302), moment_kw, {"text": "My brew day story"}),
    "moment_create": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302}, lambda w, u: {}, {
        "title": "Bottling day", "brief": "Show us.", "space": "SPACE", "answer": "both",
        "opens_at": "2030-01-01T10:00", "closes_at": "2030-01-08T10:00"}),
    "moment_edit": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302}, moment_kw, {
        "title": "Hijacked", "brief": "Changed.", "answer": "story",
        "opens_at": "2030-01-01T10:00", "closes_at": "2030-01-08T10:00"}),
    "moment_close": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302}, moment_kw, {}),
    # Initiatives: only hosts record, change, delete and restore them.
    "initiative_create": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302}, lambda w, u: {}, {
        "name": "Launch", "starts_on": "2026-03-02", "ends_on": "2026-03-08",
        "channel": "email", "placed": "3"}),
    "initiative_edit": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302}, initiative_kw, {
        "name": "Hijacked", "starts_on": "2026-03-02", "ends_on": "2026-03-08",
        "channel": "email", "placed": "3"}),
    "initiative_delete": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302}, initiative_kw, {}),
    "initiative_restore": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302}, deleted_initiative_kw, {}),
    # Webhooks: only admins register, change, delete, ping and send again.
    "webhook_create": (ADMINS_ONLY | {ADMIN: 302}, lambda w, u: {}, {
        "url": "http://127.0.0.1:9/new", "kinds": ["thread_created"]}),
    "webhook_edit": (ADMINS_ONLY | {ADMIN: 302}, endpoint_kw, {
        "url": "http://127.0.0.1:9/hijacked", "kinds": ["post_created"]}),
    "webhook_toggle": (ADMINS_ONLY | {ADMIN: 302}, endpoint_kw, {"active": "0"}),
    "webhook_rotate": (ADMINS_ONLY | {ADMIN: 302}, endpoint_kw, {}),
    "webhook_delete": (ADMINS_ONLY | {ADMIN: 302}, endpoint_kw, {}),
    "webhook_restore": (ADMINS_ONLY | {ADMIN: 302}, deleted_endpoint_kw, {}),
    "webhook_ping": (ADMINS_ONLY | {ADMIN: 302}, endpoint_kw, {}),
    "webhook_resend": (ADMINS_ONLY | {ADMIN: 302}, delivery_kw, {}),
    "strategy_worksheet": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302}, lambda w, u: {}, {
        "form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0"}),
    "entry_feature": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302}, moment_entry_kw,
                      {"featured": "1"}),
    "partners:offers": ({**ORG_PEOPLE_AND_HOSTS, PARTNER: 302, STAFF: 302, ADMIN: 302},
                        org_kw, {"sku": "K30", "title": "Hop sampler",
                                 "terms": "Free.", "url": "https://northfield.example.com/s",
                                 "starts_at": "2030-01-01T10:00",
                                 "ends_at": "2030-01-08T10:00"}),
    "partners:offer_approve": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302}, offer_kw, {}),
    # The offer's people and the hosts withdraw it (then put it back: redirected either way).
    "partners:offer_withdraw": ({**ORG_PEOPLE_AND_HOSTS, PARTNER: 302, STAFF: 302, ADMIN: 302},
                                offer_kw, {}),
    "partners:offer_edit": ({**ORG_PEOPLE_AND_HOSTS, PARTNER: 302, STAFF: 302, ADMIN: 302},
                            offer_kw, {"title": "Hop sampler", "terms": "Free.",
                                       "url": "https://northfield.example.com/s",
                                       "starts_at": "2030-01-01T10:00",
                                       "ends_at": "2030-01-08T10:00"}),
    # The widget's JSON is read-only: a POST is refused for everybody.
    "widget_json": (everyone(405), sku_kw, {}),
    # The catalogue: only hosts write it.
    "product_create": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302}, lambda w, u: {},
                       {"sku": "L30", "name": "Kettle lid"}),
    "product_edit": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302}, product_kw,
                     {"name": "Renamed kettle", "is_active": "on"}),
    "product_images": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302}, product_kw,
                       {"photo": "IMAGE", "photo_alt": "From above"}),
    "product_image_remove": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302}, product_image_kw, {}),
    "announce": (HOSTS_ONLY | {STAFF: 302, ADMIN: 302}, lambda w, u: {}, {
        "title": "Brew-along starts", "body": "Join us.",
        "space": "SPACE",
    }),
    # Anyone signed in says they own a product; the webhook refuses an unsigned call.
    "product_own": (anon_then(302, 302), lambda w, u: {"slug": _product(w).slug},
                    {"own": "1"}),
    "shop_purchase_webhook": (everyone(403), lambda w, u: {}, {"delivery_id": "x"}),
    # Someone else's access token is not found for revoking.
    "api_token_revoke": (anon_then(302, 404), lambda w, u: {"pk": w["owner_token"].pk}, {}),
    "mail_inbound": (everyone(403), lambda w, u: {}, {"message": "From: a@example.com"}),
    # Third-party apps: an incomplete consent form is a 400 (anonymous: sign in first); the
    # token endpoint refuses an unknown client (401) and revocation a missing token (400),
    # whoever is signed in; only admins register and remove apps.
    "oauth:authorize": (anon_then(302, 400), lambda w, u: {}, {"allow": "on"}),
    "oauth:token": (everyone(401), lambda w, u: {},
                    {"grant_type": "authorization_code", "code": "x"}),
    "oauth:revoke": (everyone(400), lambda w, u: {}, {}),
    "oauth_authorised_revoke": (anon_then(302, 404), app_kw, {}),
    "oauth_app_create": (ADMINS_ONLY | {ADMIN: 302}, lambda w, u: {}, {
        "name": "CRM", "redirect_uris": "https://crm.example.com/cb",
        "client_type": "public"}),
    "oauth_app_delete": (ADMINS_ONLY | {ADMIN: 302}, app_kw, {}),
}


# The composer's draft endpoint, for every kind of place (community's and those purpose and
# partners register): who may keep a draft where (tests/*/test_*drafts.py for the pages).
DRAFT_PLACES = {
    "reply": (anon_then(302, 200), lambda w: f"reply:{w['thread'].pk}"),
    "ask": (anon_then(302, 200), lambda w: "ask:question"),
    "edit": (anon_then(302, 403), lambda w: f"edit:{w['answer'].pk}"),
    "update": (HOSTS_ONLY, lambda w: f"update:{w['project'].pk}"),
    "contribute": (anon_then(302, 200), lambda w: f"contribute:{w['project'].pk}"),
    "contribution": (anon_then(302, 403), lambda w: f"contribution:{w['contribution'].pk}"),
    "discuss": (anon_then(302, 200), lambda w: f"discuss:{w['project'].pk}"),
    "publish": (ORG_PEOPLE, lambda w: f"publish:{w['organisation'].pk}"),
}


def test_every_draft_place_has_a_row():
    from community.services import drafts

    assert set(DRAFT_PLACES) == set(drafts.registered_places())


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("prefix", sorted(DRAFT_PLACES))
def test_draft_place_matrix(client, world, prefix, role):
    table, place = DRAFT_PLACES[prefix]
    sign_in_as(client, role, _visitor(world, role))
    response = client.post(reverse("draft_save"), {"place": place(world), "body": "Typed"})
    expected = _expected(table, role)
    assert response.status_code == expected, (
        f"{role} keeps a draft at {prefix} -> {response.status_code}, expected {expected}")


def _image():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 120, 200)).save(buffer, "JPEG")
    return SimpleUploadedFile("kettle.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(POST_MATRIX))
def test_post_matrix(settings, world, url_name):
    table, kwargs, given = POST_MATRIX[url_name]

    def visit(client, role, user):
        data = {k: (world["space"].pk if v == "SPACE" else _image() if v == "IMAGE"
                    else f"edit:{world['answer'].pk}" if v == "EDIT_ANSWER" else v)
                for k, v in given.items()}
        response = client.post(reverse(url_name, kwargs=kwargs(world, user)), data)
        expected = _expected(table, role)
        if response.status_code != expected:
            return f"{role} POST {url_name} -> {response.status_code}, expected {expected}"
        return None

    wrong = _as_each_role(settings, world, visit)
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_admin_is_admin_only(client, role):
    user = make_role_user(role)
    sign_in_as(client, role, user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == (200 if role == ADMIN else 302)
