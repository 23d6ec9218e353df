"""Staff avatars in the admin come from the hub (an uploaded picture or Wagtail's default), never from Gravatar:
no e-mail hash leaves for a third party, and no broken image where the network does not reach it."""

from django.urls import reverse

import pytest

from cms.factories import AssetFactory

pytestmark = pytest.mark.django_db


def test_owners_in_the_asset_listing_have_no_gravatar_image(superuser_client, editor):
    AssetFactory(title="Owned deck", owner=editor)

    html = superuser_client.get(reverse("wagtailsnippets_cms_asset:list")).content.decode()

    assert "Owned deck" in html and editor.get_username() in html
    assert "gravatar" not in html.lower()
