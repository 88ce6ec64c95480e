import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# What is loaded by now (Django, the apps, their modules) lives as long as the worker: it is
# moved out of the collector's sight, so the full collections that requests set off walk
# only what requests made, instead of pausing a page for the whole process.
gc.freeze()
