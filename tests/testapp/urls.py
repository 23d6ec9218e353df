"""The project's URLs plus the test API at ``/api/test/``."""

from django.urls import path

from cms.urls import urlpatterns as project_urlpatterns
from tests.testapp.api import api

urlpatterns = [path("api/test/", api.urls), *project_urlpatterns]
