"""The demo's shop: the origins of ``make run`` listed for the Q&A widget, so the demo shop
page (/demo/shop/) frames it, and a product to show when the catalogue is still empty."""
from community.models import CommunitySettings, Product, Space, Thread

DEMO_ORIGINS = ("http://127.0.0.1:8000", "http://localhost:8000")
DEMO_PRODUCT = {"sku": "PRO-KETTLE-30L", "name": "Pro Kettle 30L", "slug": "pro-kettle-30l",
                "line": "Pro", "description": "A 30 litre stainless kettle with a ball valve "
                "and a thermometer port, for full-volume boils."}


def seed_shop_widget() -> int:
    added = 0
    row = CommunitySettings.get()
    listed = row.widget_origin_list()
    missing = [origin for origin in DEMO_ORIGINS if origin not in listed]
    if missing:
        row.widget_origins = "\n".join([*listed, *missing])
        row.save()
        added += len(missing)
    if not Product.objects.exists():
        space = Space.objects.filter(name="Brewing kits").first()
        product = Product.objects.create(space=space, **DEMO_PRODUCT)
        added += 1
        added += Thread.objects.filter(kind=Thread.Kind.QUESTION, product__isnull=True,
                                       title__icontains="Pro Kettle").update(product=product)
    return added
