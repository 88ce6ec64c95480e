from django.conf import settings


def brand(request):
    """Brand theming (site name, accent colour, logo) for templates. Templates ask the
    viewer's permissions with ``{% can %}``, only where a page needs them."""
    return {"brand": settings.BRAND, "site_name": settings.SITE_NAME}
