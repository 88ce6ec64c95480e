"""The site's URLs, with a stand-in for the catalogue's product page where this tree does not
have one yet: the widget links to ``Product.get_absolute_url`` (URL name ``product``).
Used by the widget's tests only when ``product`` does not reverse (``product_page``)."""
from django.urls import path
from django.views.generic import RedirectView

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as site

urlpatterns = [
    path("products/<slug:slug>/", RedirectView.as_view(pattern_name="search"), name="product"),
    *site,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
