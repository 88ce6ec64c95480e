"""The shop's Q&A widget: a page the shop frames, its JSON, and the demo shop that embeds it.

The shop includes ``static/widget/gravity-widget.js``, which puts the framed page
(:func:`widget_frame`) where the shop asks for it and follows its height. Only the origins
the hosts list (``CommunitySettings.widget_origins``) may frame the page
(``Content-Security-Policy: frame-ancestors``; the site's ``X-Frame-Options: DENY`` is
lifted for this page alone when some are listed) or read the JSON (:func:`widget_json`:
``Access-Control-Allow-Origin`` for a listed ``Origin``, nothing for any other). Both are
kept for anonymous readers like the other public pages; the headers that depend on the
listed origins and on the asking ``Origin`` are set on every response, kept or not.
"""
import json
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from community import pages, permissions
from community.commerce import widget as selectors
from community.forms import ThreadForm
from community.models import CommunitySettings, Product, Space, Thread
from community.selectors.feeds import page_number

JSON_TYPE = "application/json"
NONE = "'none'"


def _product_or_404(sku: str) -> Product:
    product = selectors.product_for_widget(sku)
    if product is None:
        raise Http404(gettext("No product on sale has this SKU."))
    return product


def _widget_tags(request, sku):
    """The widget shows the product's questions and answers: every new question, answer,
    edit, removal and acceptance bumps ``feed``; the product's own fields (its name) are
    under ``catalogue`` (what every product edit bumps) and ``product:<id>`` (who owns it).
    The SKU's product is remembered under ``catalogue``: a kept page costs no query."""
    pk = pages.remember(("widget-sku", sku[:64]), lambda: Product.objects.filter(
        sku=sku[:64]).values_list("pk", flat=True).first(), tags=("catalogue",))
    return ["feed", "catalogue", f"product:{pk}"] if pk else ["feed", "catalogue"]


def _origins() -> list[str]:
    """The listed origins, remembered under ``site`` (saving the settings bumps it): asked on
    every response, kept or not, without a round trip for the settings row."""
    return pages.remember(("widget-origins",),
                          lambda: CommunitySettings.get().widget_origin_list(), tags=())


def _ask_url(product) -> str:
    return f"{reverse('ask')}?{urlencode({'product': product.slug})}"


def _ask_form(request, product):
    """A member's ask box: the ordinary question form, sent to the ordinary ask page with
    the product named (so the question is the product's), in the product's space."""
    if not permissions.can_start_thread(request.user, Thread.Kind.QUESTION):
        return None
    space = product.space or Space.objects.order_by("position", "name").first()
    if space is None:
        return None
    return ThreadForm(initial={"space": space}, kind=Thread.Kind.QUESTION)


@require_safe
@pages.anonymous_page(_widget_tags)
def _frame(request, sku):
    product = _product_or_404(sku)
    found = selectors.widget_page(product, page=page_number(request.GET.get("page")))
    signed_in = permissions.is_member(request.user)
    context = {
        "product": product, "page": found, "signed_in": signed_in,
        "form": _ask_form(request, product) if signed_in else None,
        "ask_url": _ask_url(product),
        "why_not": None if not signed_in else permissions.why_not(request.user),
    }
    return render(request, "community/widget.html", context)


def widget_frame(request, sku):
    """The framed page. Template ``community/widget.html``: the product's questions, each
    with its first answers (owners' and hosts' marked), pages, and the ask box (the
    question form for a member, else a link that signs in on the community in a new tab).
    """
    response = _frame(request, sku=sku)
    origins = _origins()
    response._csp_replace = {"frame-ancestors": origins or [NONE]}
    if origins:
        response.xframe_options_exempt = True
    return response


@require_safe
@pages.anonymous_page(_widget_tags)
def _json(request, sku):
    product = _product_or_404(sku)
    found = selectors.widget_page(product, page=page_number(request.GET.get("page")))
    body = selectors.as_json(found, absolute=request.build_absolute_uri)
    return HttpResponse(json.dumps(body, separators=(",", ":")), content_type=JSON_TYPE)


def _cors(request, response):
    """``Access-Control-Allow-Origin`` for a listed origin only (no credentials: the JSON is
    what every anonymous reader sees); ``Vary: Origin`` so no cache between mixes them."""
    response["Vary"] = "Origin"
    origin = request.headers.get("Origin", "")
    if origin and origin in _origins():
        response["Access-Control-Allow-Origin"] = origin
        if request.method == "OPTIONS":
            response["Access-Control-Allow-Methods"] = "GET"
            response["Access-Control-Max-Age"] = "600"
    return response


@require_http_methods(["GET", "HEAD", "OPTIONS"])
def widget_json(request, sku):
    """The product's questions and answers as JSON (``selectors.as_json``), for a listed
    shop origin to fetch; ``?page=`` for more. An ``OPTIONS`` preflight is answered with
    the same origin check."""
    if request.method == "OPTIONS":
        _product_or_404(sku)
        return _cors(request, HttpResponse(status=204))
    return _cors(request, _json(request, sku=sku))


@require_GET
def demo_shop(request, sku=None):
    """A shop's product page as a shop would write it, embedding the widget with its
    script (only where ``DEMO_SHOP`` is on: development). Template
    ``community/demo_shop.html``; without a SKU, the catalogue's first products."""
    if not settings.DEMO_SHOP:
        raise Http404(gettext("The demo shop is not open here."))
    products = list(Product.objects.filter(is_active=True).order_by("name", "pk")[:12])
    product = None
    if sku is not None:
        product = _product_or_404(sku)
    elif products:
        product = products[0]
    return render(request, "community/demo_shop.html", {
        "product": product, "products": products, "origins": _origins()})
