"""The project's URLs with partners' pages included, as ``cms/urls.py`` includes them once merged."""

from django.urls import include, path

from cms.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("", include("partners.urls")), *project_urlpatterns]
