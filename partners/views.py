"""Pages of partner organisations: applying, the public page, people, publishing, insights.

A partner acts only for its own organisation: every organisation-scoped page asks
``community.permissions`` with that organisation, and no page shows a member's email.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community import permissions, submissions
from community.composer import form_status, preview_into
from community.models import User
from community.selectors.feeds import page_number
from community.services import drafts as community_drafts

from . import drafts, selectors, services
from . import offers as offer_services
from .forms import (
    ApplyForm,
    DecideForm,
    InviteForm,
    OfferEditForm,
    OfferForm,
    OrganisationFields,
    PublishForm,
)
from .models import CoAuthor, Offer, Organisation


def _organisation_or_404(request, slug) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None or not permissions.can_view_organisation(request.user,
                                                                     organisation):
        raise Http404(gettext("No such partner."))
    return organisation


def _refused(error: ValidationError) -> str:
    return " ".join(error.messages)


@require_GET
def organisations(request):
    """Verified partners. Template ``partners/organisations.html``."""
    page = selectors.organisations_page(page=page_number(request.GET.get("page")))
    mine = [] if not permissions.is_member(request.user) else list(
        Organisation.objects.filter(pk__in=request.user.partner_roles))
    return render(request, "partners/organisations.html", {
        "organisations": page.items, "page": page, "mine": mine})


@login_required
@require_http_methods(["GET", "POST"])
def apply(request):
    permissions.require(permissions.can_apply_partner(request.user),
                        permissions.why_not(request.user))
    if request.method == "POST":
        form = ApplyForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                organisation = services.organisation_apply(
                    user=request.user, name=data["name"], description=data["description"],
                    website=data["homepage"], links=data["links"], note=data["note"],
                    logo=data.get("logo"))
            except ValidationError as error:
                form.add_error("name", error)
            else:
                messages.success(request, gettext("Thanks! A host reviews your application; we'll "
                                          "tell you the decision."))
                return redirect(organisation)
    else:
        form = ApplyForm()
    return render(request, "partners/apply.html", {"form": form},
                  status=form_status(form))


@login_required
@require_GET
def review(request):
    """Applications waiting for a host. Template ``partners/review.html``."""
    permissions.require(permissions.can_review_partners(request.user),
                        gettext("Partner applications are for the host team."))
    return render(request, "partners/review.html", {"applications": selectors.applications(),
                                                    "offers": offer_services.pending_offers()})


@login_required
@require_POST
def decide(request, slug):
    organisation = _organisation_or_404(request, slug)
    permissions.require(permissions.can_review_partners(request.user),
                        gettext("Only a host verifies partner organisations."))
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose verify or decline."))
        return redirect("partners:review")
    verify = form.cleaned_data["decision"] == "verify"
    try:
        services.organisation_decide(actor=request.user, organisation=organisation,
                                     verify=verify, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, _refused(error))
        return redirect("partners:review")
    messages.success(request, (gettext("%(name)s is verified.") % {"name": organisation.name})
                     if verify else
                     (gettext("%(name)s is declined; its admins are told why.")
                      % {"name": organisation.name}))
    return redirect("partners:review")


@require_GET
def organisation(request, slug):
    """A partner's page. Template ``partners/organisation.html``."""
    organisation = _organisation_or_404(request, slug)
    data = selectors.organisation_page(organisation=organisation, viewer=request.user)
    return render(request, "partners/organisation.html", {
        "organisation": organisation, "data": data,
        "is_ours": permissions.is_partner(request.user, organisation),
        "manage": permissions.can_manage_organisation(request.user, organisation),
        "may_review": permissions.can_review_partners(request.user),
        "leave": permissions.is_member(request.user)
        and organisation.pk in request.user.partner_roles,
    })


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, slug):
    organisation = _organisation_or_404(request, slug)
    permissions.require(permissions.can_manage_organisation(request.user, organisation),
                        gettext("Only this organisation's admins edit its page."))
    if request.method == "POST":
        form = OrganisationFields(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            services.organisation_edit(actor=request.user, organisation=organisation,
                                       description=data["description"],
                                       website=data["homepage"], links=data["links"],
                                       logo=data.get("logo"),
                                       remove_logo=data.get("logo") is False)
            messages.success(request, gettext("Your partner page is saved."))
            return redirect(organisation)
    else:
        form = OrganisationFields(initial={
            "description": organisation.description, "homepage": organisation.website,
            "links": organisation.links, "logo": organisation.logo})
    return render(request, "partners/edit.html", {"form": form, "organisation": organisation},
                  status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def people(request, slug):
    """The organisation's people and invitations; admins invite by email."""
    organisation = _organisation_or_404(request, slug)
    permissions.require(permissions.can_manage_organisation(request.user, organisation),
                        gettext("Only this organisation's admins manage its people."))
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_send(actor=request.user, organisation=organisation,
                                     email=form.cleaned_data["email"])
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(request, (gettext("Invitation sent to %(email)s.")
                                       % {"email": form.cleaned_data["email"]}))
            return redirect("partners:people", slug=organisation.slug)
    return render(request, "partners/people.html", {
        "organisation": organisation, "form": form,
        **selectors.people_page(organisation=organisation),
    }, status=form_status(form))


@login_required
@require_POST
def person_remove(request, slug, username):
    organisation = _organisation_or_404(request, slug)
    member = get_object_or_404(User, username=username)
    leaving = member.pk == request.user.pk
    try:
        services.membership_remove(actor=request.user, organisation=organisation,
                                   member=member)
    except ValidationError as error:
        messages.error(request, _refused(error))
        if not leaving and permissions.can_manage_organisation(request.user, organisation):
            return redirect("partners:people", slug=organisation.slug)
        return redirect(organisation)
    if leaving:
        messages.success(request, (gettext("You left %(name)s.") % {"name": organisation.name}))
        return redirect("partners:organisations")
    messages.success(request, (gettext("%(name)s no longer represents %(name2)s.")
                               % {"name": member.name, "name2": organisation.name}))
    if permissions.can_manage_organisation(request.user, organisation):
        return redirect("partners:people", slug=organisation.slug)
    return redirect(organisation)


@login_required
@require_POST
def person_admin(request, slug, username):
    organisation = _organisation_or_404(request, slug)
    member = get_object_or_404(User, username=username)
    try:
        services.membership_admin_set(actor=request.user, organisation=organisation,
                                      member=member)
    except ValidationError as error:
        messages.error(request, _refused(error))
    else:
        messages.success(request, (gettext("%(name)s is an admin of %(name2)s.")
                                   % {"name": member.name, "name2": organisation.name}))
    return redirect("partners:people", slug=organisation.slug)


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """Following an invitation: sign in (or join) with the invited address, then accept."""
    try:
        invitation = services.invitation_resolve(token)
    except services.InvalidInvitation as error:
        return render(request, "partners/invitation_invalid.html", {"reason": str(error)},
                      status=400)
    mismatch = permissions.is_member(request.user) and not services.owns_email(
        request.user, invitation.email)
    if request.method == "POST":
        if not permissions.is_member(request.user):
            return redirect(f"/accounts/login/?next={request.path}")
        try:
            services.invitation_accept(user=request.user, token=token)
        except services.InvalidInvitation as error:
            return render(request, "partners/invitation_invalid.html",
                          {"reason": str(error)}, status=400)
        messages.success(request, (gettext("Welcome to %(name)s: you can publish for it now.")
                                   % {"name": invitation.organisation.name}))
        return redirect(invitation.organisation)
    return render(request, "partners/invitation.html", {"invitation": invitation,
                                                        "mismatch": mismatch})


@login_required
@require_http_methods(["GET", "POST"])
def coauthor(request, pk):
    """A co-author invitation: only the invited member sees it."""
    invited = (CoAuthor.objects.select_related("post__organisation", "post__thread", "user")
               .filter(pk=pk, user=request.user).first())
    if invited is None:
        raise Http404(gettext("No such invitation."))
    if request.method == "POST":
        accept = request.POST.get("answer") == "accept"
        try:
            services.coauthor_respond(user=request.user, coauthor=invited, accept=accept)
        except ValidationError as error:
            messages.info(request, _refused(error))
        else:
            messages.success(request, gettext("Thank you: your name is on it.") if accept else
                             gettext("Declined: your name stays off it."))
        return redirect(invited.post.thread)
    return render(request, "partners/coauthor.html", {"invited": invited})


@login_required
@require_http_methods(["GET", "POST"])
def publish(request, slug):
    """Co-created content. Template ``partners/publish.html``."""
    organisation = _organisation_or_404(request, slug)
    if services.awaits_verification(request.user, organisation):
        messages.error(request, services.UNVERIFIED)
        return redirect(organisation)
    permissions.require(permissions.can_publish_partner(request.user, organisation),
                        gettext("Only this organisation's people publish for it."))
    if request.method == "POST":
        form = PublishForm(request.POST, author=request.user)
        if not preview_into(request, form) and form.is_valid():
            data = form.cleaned_data
            done = submissions.once(request.user, form, lambda: services.partner_publish(
                author=request.user, organisation=organisation, kind=data["kind"],
                title=data["title"], body=data["body"], space=data.get("space"),
                project=data.get("project"), coauthors=data["coauthors"]),
                url_of=lambda post: post.thread.get_absolute_url())
            if done.repeat:
                return redirect(done.url or organisation)
            if not done.error:
                thread = done.made.thread
                messages.success(request,
                                 gettext("Published. It waits for a host's approval first.")
                                 if thread.is_hidden else
                                 gettext("Published: members can reply and vote now."))
                return redirect(thread)
        draft = None
    else:
        initial = {"project": request.GET.get("project") or None}
        draft = community_drafts.draft_for(request.user, drafts.publish_place(organisation))
        if draft:
            initial.update(title=draft.title, body=draft.body)
        form = PublishForm(author=request.user, initial=initial)
    return render(request, "partners/publish.html", {
        "form": form, "organisation": organisation, "draft": draft,
        "draft_place": drafts.publish_place(organisation)}, status=form_status(form))


@login_required
@require_GET
def insights(request, slug):
    """Reach and conversation of the organisation's content. ``partners/insights.html``."""
    organisation = _organisation_or_404(request, slug)
    permissions.require(permissions.can_view_partner_insights(request.user, organisation),
                        gettext("Insights are for this organisation's people and the hosts."))
    return render(request, "partners/insights.html", {
        "organisation": organisation, **selectors.insights(organisation=organisation)})


@login_required
@require_http_methods(["GET", "POST"])
def offers(request, slug):
    """The organisation's offers (live, upcoming, waiting, ended, with their clicks) and the
    form for a new one. Template ``partners/offers.html``."""
    organisation = _organisation_or_404(request, slug)
    permissions.require(permissions.can_offer(request.user, organisation),
                        offer_services.NOT_YOURS)
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            offer = offer_services.offer_create(
                actor=request.user, organisation=organisation, product=data["sku"],
                title=data["title"], terms=data["terms"], url=data["url"],
                starts_at=data["starts_at"], ends_at=data["ends_at"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, offer_services.HELD if offer.approved_at is None
                             else (gettext("The offer on %(name)s is saved: it shows on the "
                                           "product's page while it runs.")
                                   % {"name": offer.product.name}))
            return redirect("partners:offers", slug=organisation.slug)
    listed = (Offer.objects.filter(organisation=organisation).select_related("product")
              .order_by("-ends_at", "-pk")[:100])
    undo = request.session.pop("offer_undo", None) if request.method == "GET" else None
    return render(request, "partners/offers.html", {
        "organisation": organisation, "form": form, "offers": listed, "undo": undo,
        "now": timezone.now()}, status=form_status(form))


@login_required
@require_POST
def offer_approve(request, pk):
    offer = get_object_or_404(Offer, pk=pk)
    offer_services.offer_approve(actor=request.user, offer=offer)
    messages.success(request, (gettext("Approved: %(title)s.") % {"title": offer.title}))
    return redirect("partners:review")


@login_required
@require_http_methods(["GET", "POST"])
def offer_edit(request, pk):
    """An offer's words, link and dates. Template ``partners/offer_form.html``."""
    offer = get_object_or_404(Offer.objects.select_related("organisation", "product"), pk=pk)
    permissions.require(permissions.can_offer(request.user, offer.organisation),
                        offer_services.NOT_YOURS)
    tz = timezone.get_current_timezone()
    form = OfferEditForm(request.POST or None, initial={
        "title": offer.title, "terms": offer.terms, "url": offer.url,
        "starts_at": offer.starts_at.astimezone(tz).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": offer.ends_at.astimezone(tz).strftime("%Y-%m-%dT%H:%M")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            edited = offer_services.offer_edit(
                actor=request.user, offer=offer, title=data["title"], terms=data["terms"],
                url=data["url"], starts_at=data["starts_at"], ends_at=data["ends_at"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, offer_services.HELD if edited.approved_at is None
                             else (gettext("Saved: %(title)s.") % {"title": edited.title}))
            return redirect("partners:offers", slug=offer.organisation.slug)
    return render(request, "partners/offer_form.html", {"offer": offer, "form": form},
                  status=form_status(form))


@login_required
@require_POST
def offer_withdraw(request, pk):
    """Take an offer off its product's page (``restore=1``: put it back, the undo)."""
    offer = get_object_or_404(Offer.objects.select_related("organisation"), pk=pk)
    permissions.require(permissions.can_offer(request.user, offer.organisation),
                        offer_services.NOT_YOURS)
    restore = request.POST.get("restore") == "1"
    try:
        offer_services.offer_withdraw(actor=request.user, offer=offer, withdrawn=not restore)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, (gettext("Back on the product's page: %(title)s.")
                                   % {"title": offer.title}) if restore
                         else (gettext("Withdrawn: %(title)s no longer shows on the product's "
                                       "page.") % {"title": offer.title}))
        if not restore:
            request.session["offer_undo"] = offer.pk
    return redirect("partners:offers", slug=offer.organisation.slug)


@require_GET
def offer_go(request, pk):
    """Count the click and go to the offer's own stored address (a live offer only: an
    ended, future or unapproved one is not found)."""
    offer = get_object_or_404(Offer, pk=pk)
    if not offer.is_live():
        raise Http404(gettext("This offer is not running."))
    response = HttpResponseRedirect(offer_services.offer_click(visitor=request.user,
                                                               offer=offer))
    response["Cache-Control"] = "no-store"
    return response
