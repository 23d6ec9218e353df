"""WSGI entry point (gunicorn ``cms.wsgi``): production settings unless ``DJANGO_SETTINGS_MODULE`` says otherwise."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

application = get_wsgi_application()

# Everything loaded so far (Django, Wagtail, our apps) lives as long as the process: move
# it out of the garbage collector's generations, so full collections during requests only
# walk what requests allocate (and forked workers keep sharing those pages).
gc.freeze()
