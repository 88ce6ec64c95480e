"""Single sign-on with SAML 2.0: what Gravity adds to allauth's SAML provider.

allauth checks the response (python3-saml: signature by the IdP's certificate, audience,
recipient, time window) and binds it to the request this browser made; this module:
- makes a member a staff host while their company's groups include ``SAML_STAFF_GROUP``,
  checked at every sign-in (``sync_host_role``, wired to ``user_logged_in``);
- answers a refused response with a page that says so, status 403 (``refused``), whether
  python3-saml refused it or it answers no request of this browser: a replay, a response
  meant for another browser, an IdP-initiated one (``finish_acs``).
Settings: ``config/settings.py`` ``saml_apps``.
"""
import logging

from allauth.socialaccount.providers.saml import views as allauth_saml
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

log = logging.getLogger(__name__)

PROVIDER = "saml"


def is_saml(provider) -> bool:
    return getattr(provider, "id", None) == PROVIDER


def groups(attributes: dict, names: list[str]) -> list[str]:
    """The group values of the first of ``names`` the IdP sent (an attribute carries a
    list of values)."""
    for name in names:
        values = attributes.get(name)
        if values:
            return [str(value) for value in (values if isinstance(values, list) else [values])]
    return []


def sync_host_role(sender, request, user, sociallogin=None, **kwargs) -> None:
    """At each SAML sign-in, the member hosts exactly while the staff group is theirs.

    Without ``SAML_STAFF_GROUP`` nobody's role is touched."""
    if sociallogin is None or not is_saml(sociallogin.provider):
        return
    config = sociallogin.provider.app.settings
    staff_group = config.get("staff_group")
    if not staff_group:
        return
    from community.services.users import host_role_set

    member_groups = groups(sociallogin.account.extra_data or {},
                           config.get("groups_attribute", []))
    host_role_set(member=user, is_host=staff_group in member_groups)


def refused(request, provider=None, *, reason: str = ""):
    """The page a refused SAML sign-in lands on: nobody is signed in, the attempt is in
    the audit trail with python3-saml's reason."""
    from community.host import audit

    log.warning("SAML sign-in refused: %s", reason)
    audit.record("login_failed", request=request, identifier="saml",
                 detail=f"SAML response refused: {reason}")
    name = getattr(provider, "name", "") or "single sign-on"
    return render(request, "socialaccount/saml_refused.html", {"idp_name": name},
                  status=403)


def finish_acs(request, organization_slug):
    """allauth's end of the sign-in, with a response that answers no request of this
    browser (already used, started elsewhere, or started too long ago) refused by the
    same page as a forged one."""
    try:
        return allauth_saml.finish_acs(request, organization_slug=organization_slug)
    except PermissionDenied:
        provider = None
        try:
            provider = allauth_saml.get_app_or_404(request, organization_slug).get_provider(
                request)
        except Exception:  # noqa: BLE001  (the refusal page names the IdP if it can)
            log.info("SAML provider %s not found for the refusal page", organization_slug)
        return refused(request, provider,
                       reason="no matching request in this browser (replayed or expired)")
