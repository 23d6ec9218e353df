"""The portal's own URLs beside the Wagtail home page at ``/`` (the project's URLconf includes them first)."""

from django.urls import include, path

from .views import branding, bulletins, certifications, exams, home, links, profile, programs, transcript, verify
from .views.learning import urls as learning_urls
from .views.library import asset as library_asset
from .views.library import search as library_search
from .views.team import urls as team_urls

app_name = "home"

urlpatterns = [
    path("portal/brand.css", branding.brand_css, name="brand_css"),
    path("portal/feed/seen/", home.mark_feed_seen, name="feed_seen"),
    path("portal/bulletins/<int:bulletin_id>/acknowledge/", home.acknowledge_bulletin, name="acknowledge_bulletin"),
    path("links/", links.links, name="links"),
    path("library/", library_search.library, name="library"),
    path("library/suggest/", library_search.suggest, name="library_suggest"),
    path("library/<int:asset_id>/", library_asset.asset_detail, name="library_asset"),
    path("library/<int:asset_id>/download/", library_asset.asset_download, name="library_download"),
    path("team/", include(team_urls)),
    path("profile/", profile.profile, name="profile"),
    path("profile/name/", profile.profile_name, name="profile_name"),
    path("profile/language/", profile.profile_language, name="profile_language"),
    path("profile/notifications/", profile.profile_notifications, name="profile_notifications"),
    path("profile/tokens/", profile.token_create, name="profile_token_create"),
    path("profile/tokens/<int:token_id>/revoke/", profile.token_revoke, name="profile_token_revoke"),
    path("profile/sessions/end-others/", profile.sign_out_elsewhere, name="profile_sign_out_elsewhere"),
    path("certifications/", certifications.certificate_list, name="certifications"),
    path("certifications/<int:certificate_id>/", certifications.certificate_detail, name="certificate"),
    path("certifications/<int:certificate_id>/pdf/", certifications.certificate_pdf, name="certificate_pdf"),
    path("certifications/exams/", include(exams.urlpatterns)),
    path("certifications/transcript/<str:file_format>/", transcript.my_transcript, name="my_transcript"),
    path("programs/", programs.program_list, name="programs"),
    path("programs/<int:program_id>/", programs.program_detail, name="program_detail"),
    path("bulletins/", bulletins.bulletin_list, name="bulletins"),
    path("bulletins/<int:bulletin_id>/", bulletins.bulletin_detail, name="bulletin_detail"),
    path("verify/<str:code>/", verify.verify_certificate, name="verify_certificate"),
    path("learning/", include(learning_urls)),
]
