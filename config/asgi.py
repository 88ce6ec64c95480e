"""The ASGI application: the live stream (``/stream/``, community/engine/live) and, for
``make run`` and anyone who serves everything from one ASGI server, every other page too.

In production the pages stay on gunicorn (WSGI) and only ``/stream/`` goes to uvicorn
(README "Live updates"); both read the same settings and database.
"""
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import re_path  # noqa: E402

from community.engine.live.reader import StreamReader  # noqa: E402
from community.engine.live.stream import LiveStream  # noqa: E402

application = ProtocolTypeRouter({
    "http": URLRouter([
        re_path(r"^stream/$", StreamReader(LiveStream.as_asgi())),
        re_path(r"", django_application),
    ]),
})
