"""The catalogue: the product list, a product's page, and the host's product editing."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community import pages, permissions
from community.commerce import catalogue, panels
from community.commerce.product_forms import ProductForm, ProductImageForm
from community.content.limits import refusal_status
from community.models import Product, ProductImage
from community.pages.invalidation import CATALOGUE, FEED
from community.selectors import products as selectors
from community.selectors.feeds import page_number
from community.selectors.paging import page_slice

HOST_PAGE = 50


def _list_tags(request, **kwargs):
    return [CATALOGUE]


@require_GET
@pages.anonymous_page(_list_tags)
def product_list(request):
    """Products on sale, by brand line (``?line=``). Template ``community/product_list.html``."""
    line = request.GET.get("line", "")[:120]
    page = selectors.product_list(line=line, page=page_number(request.GET.get("page")))
    return render(request, "community/product_list.html", {
        "page": page, "line": line,
        "query_prefix": f"line={line}" if line else "",
        "may_edit": permissions.can_edit_products(request.user),
    })


def _product_tags(request, slug, **kwargs):
    """A product's page shows the catalogue (itself and its family), its questions and
    their answers (new ones, edits and moderation bump the thread lists' ``feed``), and
    what is said about it alone (``product:<id>``: who owns it, its offers). Which product
    an address names is kept under the catalogue's version (every product write bumps it),
    so a kept page costs no query. Other apps' panels that change with the clock (an offer
    going live or ending) name what they show now: a fixed part of the page's name."""
    pk = pages.remember(("product-pk", slug), lambda: Product.objects.filter(
        slug=slug).values_list("pk", flat=True).first(), tags=(CATALOGUE,))
    if pk is None:
        return []
    tag = pages.product_tag(pk)
    states = panels.cache_names(
        pk, remember=lambda parts, compute: pages.remember(parts, compute, tags=(tag,)))
    return [CATALOGUE, FEED, tag, *(pages.Fixed(name) for name in states)]


def _product_or_404(slug) -> Product:
    try:
        return selectors.product_get(slug)
    except Product.DoesNotExist:
        raise Http404(gettext("No such product.")) from None


def _body(product, number) -> dict:
    main, accessories = selectors.family(product)
    questions = selectors.product_questions(product, page=number)
    return {"main": main, "accessories": accessories, "questions": questions,
            "related": selectors.related_threads(product),
            "moments": selectors.related_moments(product)}


@require_GET
@pages.anonymous_page(_product_tags)
def product_detail(request, slug):
    """The product, other apps' panels, its family, its questions and answers and what is
    near it. Template ``community/product_detail.html``. Everything after the panels is
    alike for every reader: kept as one fragment under the page's tags and read lazily,
    so a member's kept page costs the product's own queries only."""
    product = _product_or_404(slug)
    number = page_number(request.GET.get("page"))
    return render(request, "community/product_detail.html", {
        "product": product, "images": [i.image for i in product.images.all()],
        "body": SimpleLazyObject(lambda: _body(product, number)),
        "body_key": pages.fragment_key("product-body", product.pk, number,
                                       tags=(CATALOGUE, FEED, pages.product_tag(product.pk))),
        "panels": panels.render_list(product, request.user),
        "ask_url": f"{reverse('ask')}?product={product.slug}",
        "may_edit": permissions.can_edit_products(request.user),
    })


# The host's tools ------------------------------------------------------------------------


def _require_editor(request):
    permissions.require(permissions.can_edit_products(request.user), catalogue.HOST_REFUSAL)


@login_required
@require_GET
def host_products(request):
    """Every product, on sale or not, to edit. Template ``community/host_products.html``."""
    _require_editor(request)
    rows = (Product.objects.select_related("parent").only(
        "sku", "name", "slug", "line", "is_active", "parent__name", "parent__slug")
        .order_by("line", "name", "pk"))
    return render(request, "community/host_products.html", {
        "page": page_slice(rows, page=page_number(request.GET.get("page")), size=HOST_PAGE),
    })


@login_required
@require_http_methods(["GET", "POST"])
def product_create(request):
    """Template ``community/product_form.html``."""
    _require_editor(request)
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            product = catalogue.product_create(host=request.user,
                                               sku=form.cleaned_data["sku"].strip(),
                                               **form.service_fields())
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, gettext("The product is in the catalogue. Add its photos "
                                              "here."))
            return redirect("product_images", slug=product.slug)
    return render(request, "community/product_form.html", {"form": form},
                  status=400 if form.is_bound else 200)


def _errors_into(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@require_http_methods(["GET", "POST"])
def product_edit(request, slug):
    """Template ``community/product_form.html``."""
    _require_editor(request)
    product = get_object_or_404(Product.objects.select_related("parent", "tag"), slug=slug)
    form = ProductForm(request.POST or None, product=product)
    if request.method == "POST" and form.is_valid():
        try:
            changed = catalogue.product_edit(host=request.user, product=product,
                                             **form.service_fields())
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, gettext("The product is saved.") if changed
                             else gettext("Nothing had changed."))
            return redirect(product)
    return render(request, "community/product_form.html", {"form": form, "product": product},
                  status=400 if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def product_images(request, slug):
    """The product's photos: add one, remove one. Template ``community/product_images.html``."""
    _require_editor(request)
    product = get_object_or_404(Product, slug=slug)
    form = ProductImageForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                catalogue.product_image_add(host=request.user, product=product,
                                            upload=form.cleaned_data["photo"],
                                            alt_text=form.cleaned_data["photo_alt"])
            except ValidationError as error:
                form.add_error("photo", error)
                status = refusal_status(error)
            else:
                messages.success(request, gettext("The photo is added."))
                return redirect("product_images", slug=product.slug)
    images = product.images.select_related("image")
    return render(request, "community/product_images.html",
                  {"product": product, "images": images, "form": form}, status=status)


@login_required
@require_POST
def product_image_remove(request, pk):
    image = get_object_or_404(ProductImage.objects.select_related("product"), pk=pk)
    catalogue.product_image_remove(host=request.user, image=image)
    messages.success(request, gettext("The photo is removed."))
    return redirect("product_images", slug=image.product.slug)
