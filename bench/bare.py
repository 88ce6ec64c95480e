"""The ceiling: a bare Django view behind the same settings and middleware, served the same
way (``DJANGO_SETTINGS_MODULE=bench.bare``, gunicorn ``bench.bare:application``)."""
from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bare"

from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", bare)]


# gunicorn imports this module as the application; Django then reads it as the settings
# (DJANGO_SETTINGS_MODULE=bench.bare), which are all defined above by now.
from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
