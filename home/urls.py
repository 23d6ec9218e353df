"""The portal's own URLs beside the Wagtail home page at ``/`` (the project's URLconf includes them first)."""

from django.urls import path

from .views import branding, certifications, home, links, verify

app_name = "home"

urlpatterns = [
    path("portal/brand.css", branding.brand_css, name="brand_css"),
    path("portal/feed/seen/", home.mark_feed_seen, name="feed_seen"),
    path("portal/bulletins/<int:bulletin_id>/acknowledge/", home.acknowledge_bulletin, name="acknowledge_bulletin"),
    path("links/", links.links, name="links"),
    path("certifications/", certifications.certificate_list, name="certifications"),
    path("certifications/<int:certificate_id>/", certifications.certificate_detail, name="certificate"),
    path("certifications/<int:certificate_id>/pdf/", certifications.certificate_pdf, name="certificate_pdf"),
    path("verify/<str:code>/", verify.verify_certificate, name="verify_certificate"),
]
