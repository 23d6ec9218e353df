"""The portal's own URLs beside the Wagtail home page at ``/`` (the project's URLconf includes them first)."""

from django.urls import path

from .views import branding, bulletins, home, links, programs, verify

app_name = "home"

urlpatterns = [
    path("portal/brand.css", branding.brand_css, name="brand_css"),
    path("portal/feed/seen/", home.mark_feed_seen, name="feed_seen"),
    path("portal/bulletins/<int:bulletin_id>/acknowledge/", home.acknowledge_bulletin, name="acknowledge_bulletin"),
    path("links/", links.links, name="links"),
    path("programs/", programs.program_list, name="programs"),
    path("programs/<int:program_id>/", programs.program_detail, name="program_detail"),
    path("bulletins/", bulletins.bulletin_list, name="bulletins"),
    path("bulletins/<int:bulletin_id>/", bulletins.bulletin_detail, name="bulletin_detail"),
    path("verify/<str:code>/", verify.verify_certificate, name="verify_certificate"),
]
