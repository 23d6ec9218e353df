"""The portal's own URLs beside the Wagtail home page at ``/`` (the project's URLconf includes them first)."""

from django.urls import include, path

from .views import branding, home, links, verify
from .views.learning import urls as learning_urls

app_name = "home"

urlpatterns = [
    path("portal/brand.css", branding.brand_css, name="brand_css"),
    path("portal/feed/seen/", home.mark_feed_seen, name="feed_seen"),
    path("portal/bulletins/<int:bulletin_id>/acknowledge/", home.acknowledge_bulletin, name="acknowledge_bulletin"),
    path("links/", links.links, name="links"),
    path("verify/<str:code>/", verify.verify_certificate, name="verify_certificate"),
    path("learning/", include(learning_urls)),
]
