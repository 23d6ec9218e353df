"""URLs: the Wagtail admin, sign-in, the partner API and Wagtail's page serving.

Everyone signs in at /accounts/login/ (django-allauth), with their e-mail address and then their second factor
when they have one: the Wagtail admin's /admin/login/ redirects there (``accounts.staff``), so the second
factor cannot be skipped. django-axes locks an account per address after repeated failures. Django's own admin
site is not mounted, so there is no other login door.
"""

from django.conf import settings
from django.urls import include, path, re_path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from accounts.staff import admin_login_redirect
from cms.apiv1.middleware import api_not_found
from cms.apiv1.root import api

urlpatterns = [
    path("admin/login/", admin_login_redirect, name="admin_login_redirect"),  # before Wagtail's own sign-in form
    path("admin/", include(wagtailadmin_urls)),
    path("accounts/", include("accounts.urls")),  # accepting an invitation
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("learn/", include("elearning.urls")),  # the package player: its page, files and commits, by launch token
    re_path(r"^api/", api_not_found),
    path("xapi/", include("lrs.urls")),  # the xAPI learning record store
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    # Development only: public media (editors' image uploads) for the admin. Files of gated
    # content are never under MEDIA_ROOT (see cms/storage.py), so this cannot serve them.
    urlpatterns += staticfiles_urlpatterns() + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include("home.urls")), path("", include(wagtail_urls))]

# An unreachable database answers 503 + Retry-After (JSON under /api/), any other error Django's 500 page.
handler500 = "cms.outages.server_error"
