"""The portal's own URLs beside the Wagtail home page at ``/`` (the project's URLconf includes them first)."""

from django.urls import include, path

from .views import branding, home, links, verify
from .views.library import asset as library_asset
from .views.library import search as library_search
from .views.team import urls as team_urls
from .views.learning import urls as learning_urls

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
    path("verify/<str:code>/", verify.verify_certificate, name="verify_certificate"),
    path("learning/", include(learning_urls)),
]
