from django.conf import settings

from . import permissions


def brand(request):
    """Brand theming (site name, accent colour, logo) and the viewer's role for templates."""
    user = getattr(request, "user", None)
    return {
        "brand": settings.BRAND,
        "site_name": settings.SITE_NAME,
        "viewer_role": permissions.role_of(user) if user is not None else "anonymous",
    }
