"""The admin's forms, for operators: an address typed without a scheme is an https one
(Django's own default is http until 6.0, and it warns)."""
from django import forms
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from community.models import Product

from . import factories
from .conftest import sign_in


def _url_fields(model_admin, request):
    form = model_admin.get_form(request)
    found = [(model_admin.model.__name__, name, field)
             for name, field in form.base_fields.items() if isinstance(field, forms.URLField)]
    for inline in model_admin.get_inline_instances(request):
        formset = inline.get_formset(request)
        found += [(inline.model.__name__, name, field)
                  for name, field in formset.form.base_fields.items()
                  if isinstance(field, forms.URLField)]
    return found


def test_every_address_field_in_the_admin_assumes_https(db):
    request = RequestFactory().get("/admin/")
    request.user = factories.AdminFactory()
    fields = [found for model_admin in admin.site._registry.values()
              for found in _url_fields(model_admin, request)]
    assert {(model, name) for model, name, _ in fields} >= {
        ("Product", "shop_url"), ("Organisation", "website"), ("Offer", "url")}
    assert [(model, name) for model, name, field in fields
            if field.assume_scheme != "https"] == []


def test_a_shop_address_typed_without_a_scheme_is_saved_as_https(db, client):
    kettle = factories.ProductFactory()
    sign_in(client, factories.AdminFactory())
    response = client.post(reverse("admin:community_product_change", args=[kettle.pk]), {
        "sku": kettle.sku, "name": kettle.name, "slug": kettle.slug, "line": kettle.line or "",
        "description": kettle.description, "shop_url": "shop.example.com/kettle",
        "is_active": "on", "images-TOTAL_FORMS": "0", "images-INITIAL_FORMS": "0"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Product.objects.get(pk=kettle.pk).shop_url == "https://shop.example.com/kettle"
