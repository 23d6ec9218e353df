"""The links hub (page and API, audience-gated) and the portal's branding (name, logo, colours)."""

from django.core.exceptions import ValidationError

import pytest

from home.factories import PortalLinkFactory
from home.models import PortalBranding
from partners.factories import RoleFactory, TierFactory
from tests.partners.audience_matrix import build_matrix

pytestmark = pytest.mark.django_db


def test_the_links_hub_shows_my_links_in_the_editors_order_and_nobody_elses(client, gold_partner_user):
    PortalLinkFactory(title="Support", sort_order=30, url="https://support.example/")
    PortalLinkFactory(title="Deal registration", sort_order=10)
    PortalLinkFactory(title="Platinum MDF", min_tier=TierFactory(key="platinum", rank=40))
    PortalLinkFactory(title="Technical desk", roles=[RoleFactory(key="technical")])
    PortalLinkFactory(title="Retired", is_active=False)
    client.force_login(gold_partner_user.user)
    page = client.get("/links/").content.decode()
    assert page.index("Deal registration") < page.index("Support")
    assert 'href="https://support.example/"' in page
    for hidden in ("Platinum MDF", "Technical desk", "Retired"):
        assert hidden not in page
    api = client.get("/api/v1/links", **gold_partner_user.headers).json()
    assert [link["title"] for link in api] == ["Deal registration", "Support"]


def test_every_audience_case_of_the_links_hub_page_and_api(client):
    matrix = build_matrix(PortalLinkFactory, is_active=False)
    client.force_login(matrix.viewer_user)
    page = client.get("/links/").content.decode()
    for key, link in matrix.items.items():
        assert (f">{link.title}<" in page) == (link.pk in matrix.expected_visible), key
    listed = {row["id"] for row in client.get("/api/v1/links").json()}
    assert listed == matrix.expected_visible


def test_the_links_page_costs_a_fixed_number_of_queries(client, gold_partner_user, django_assert_max_num_queries):
    client.force_login(gold_partner_user.user)
    PortalLinkFactory()
    client.get("/links/")
    with django_assert_max_num_queries(30) as few:
        client.get("/links/")
    PortalLinkFactory.create_batch(8)
    with django_assert_max_num_queries(len(few)):
        client.get("/links/")


def test_branding_names_and_colours_the_portal(client):
    branding = PortalBranding.load()
    branding.name = "Globex Partner Network"
    branding.primary_colour = "#0b5d3b"
    branding.full_clean()
    branding.save()
    landing = client.get("/").content.decode()
    assert "Globex Partner Network" in landing and ">GP<" in landing  # the initials stand in for a logo
    css = client.get("/portal/brand.css")
    assert css["Content-Type"].startswith("text/css") and "--accent: #0b5d3b" in css.content.decode()


def test_a_brand_colour_too_light_for_white_text_is_refused():
    branding = PortalBranding.load()
    branding.primary_colour = "#f5d90a"
    with pytest.raises(ValidationError, match=r"contrast of 1\.4:1"):
        branding.full_clean()


def test_editors_manage_links_with_their_audience_in_the_admin(admin_client):
    from django.urls import reverse

    from home.models import PortalLink

    gold = TierFactory(key="gold", rank=30)
    add_url = reverse("wagtailsnippets_home_portallink:add")
    form = admin_client.get(add_url).content.decode()
    assert "Audience" in form and 'name="min_tier"' in form
    response = admin_client.post(
        add_url,
        {
            "title": "MDF claims",
            "description": "",
            "url": "https://mdf.example/",
            "icon": "funds",
            "sort_order": 5,
            "is_active": "on",
            "min_tier": gold.pk,
        },
    )
    assert response.status_code == 302
    link = PortalLink.objects.get(title="MDF claims")
    assert link.min_tier == gold and link.url == "https://mdf.example/"
    assert "MDF claims" in admin_client.get(reverse("wagtailsnippets_home_portallink:list")).content.decode()
