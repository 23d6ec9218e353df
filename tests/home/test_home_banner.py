"""The editors' part of the home page: campaign banners and featured assets and courses, all audience-gated."""

from datetime import UTC, date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.urls import reverse

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

import pytest
import time_machine

from cms.factories import AssetFactory, BulletinFactory
from core.demo import DemoRun
from courses.factories import CourseFactory
from home.demo import demo_home
from home.models import HomeBanner, HomeFeaturedAsset, HomeFeaturedCourse, HomePage
from partners.factories import RoleFactory, TierFactory
from tests.partners.audience_matrix import build_matrix

pytestmark = pytest.mark.django_db
T0 = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def home_page():
    return HomePage.objects.get()


@pytest.fixture
def member(client, gold_partner_user):
    client.force_login(gold_partner_user.user)
    return gold_partner_user.user


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def banner(*, title="A banner", partner_types=(), regions=(), roles=(), **fields) -> HomeBanner:
    """A banner on the home page, running unless dates say otherwise; audience lists as for gated factories."""
    item = HomeBanner(page=HomePage.objects.get(), heading=title, **fields)
    item.save()
    for name, values in (("partner_types", partner_types), ("regions", regions), ("roles", roles)):
        getattr(item, name).set(values)
    item.save()  # the audience keys follow the lists
    return item


def featured_asset(**fields):
    asset = AssetFactory(**fields)
    HomeFeaturedAsset.objects.create(page=HomePage.objects.get(), asset=asset, sort_order=asset.pk)
    return asset


def featured_course(**fields):
    course = CourseFactory(**fields)
    HomeFeaturedCourse.objects.create(page=HomePage.objects.get(), course=course, sort_order=course.pk)
    return course


# --- the banner ------------------------------------------------------------------------------------------


def test_the_banner_sits_above_the_feed_with_its_call_to_action(client, member):
    banner(title="Edge Firewall 9 launch", text="Your kit is ready.", cta_url="/programs/", cta_label="See the kit")
    BulletinFactory(title="Pricing news")
    page = html(client.get("/"))
    assert '<h2 id="banner-title">Edge Firewall 9 launch</h2>' in page and "Your kit is ready." in page
    assert '<a class="button banner-cta" href="/programs/">See the kit</a>' in page
    assert page.index("Edge Firewall 9 launch") < page.index("Pricing news")


def test_a_banner_shows_only_between_its_dates(client, gold_partner_user):
    banner(title="Summer campaign", starts_at=T0, ends_at=T0 + timedelta(days=10))
    for moment, shown in (
        (T0 - timedelta(minutes=1), False),
        (T0, True),
        (T0 + timedelta(days=10) - timedelta(minutes=1), True),
        (T0 + timedelta(days=10), False),
    ):
        with time_machine.travel(moment, tick=False):
            client.force_login(gold_partner_user.user)
            assert ("Summer campaign" in html(client.get("/"))) == shown, moment


def test_partners_see_the_first_banner_meant_for_them(client, member, home_page):
    banner(title="Platinum preview", min_tier=TierFactory(key="platinum", rank=40), sort_order=0)
    banner(title="Technical webinar", roles=[RoleFactory(key="technical")], sort_order=1)
    banner(title="Gold launch", min_tier=TierFactory(key="silver", rank=20), sort_order=2)
    banner(title="For everyone", sort_order=3)
    page = html(client.get("/"))
    assert "Gold launch" in page
    for hidden in ("Platinum preview", "Technical webinar", "For everyone"):
        assert hidden not in page


def test_every_audience_case_of_the_banner(client, home_page):
    matrix = build_matrix(banner, ends_at=datetime(2020, 1, 1, tzinfo=UTC))
    user = matrix.viewer_user
    assert {b.pk for b in HomeBanner.objects.showing(page=home_page, user=user)} == matrix.expected_visible
    client.force_login(user)
    page = html(client.get("/"))
    shown = [b for b in matrix.items.values() if f">{b.heading}</h2>" in page]
    assert len(shown) == 1 and shown[0].pk == min(matrix.expected_visible)  # the first of those meant for me


def test_a_banner_needs_both_parts_of_its_call_to_action_dates_in_order_and_a_safe_link(home_page):
    def problems(**fields):
        try:
            HomeBanner(page=home_page, heading="Launch", **fields).full_clean()
        except ValidationError as error:
            return set(error.message_dict)
        return set()

    assert problems(cta_url="/programs/") == {"cta_label"}
    assert problems(cta_label="Go") == {"cta_url"}
    assert problems(starts_at=T0, ends_at=T0) == {"ends_at"}
    assert problems(cta_url="javascript:alert(1)", cta_label="Go") == {"cta_url"}
    assert problems(cta_url="//evil.example/", cta_label="Go") == {"cta_url"}
    assert problems(cta_url="https://events.example/summit", cta_label="Register") == set()


# --- featured assets and courses ---------------------------------------------------------------------------


def test_featured_assets_and_courses_show_in_the_editors_order_for_my_audience(client, member, home_page):
    platinum = TierFactory(key="platinum", rank=40)
    second = AssetFactory(title="Battlecard")
    first = AssetFactory(title="Launch deck")
    HomeFeaturedAsset.objects.create(page=home_page, asset=second, sort_order=2)
    HomeFeaturedAsset.objects.create(page=home_page, asset=first, sort_order=1)
    featured_asset(title="Platinum price list", min_tier=platinum)
    featured_asset(title="Retired deck", live=False)
    course = featured_course(title="Selling SD-WAN", summary="Win the branch.")
    featured_course(title="Platinum masterclass", min_tier=platinum)
    AssetFactory(title="Not featured")
    page = html(client.get("/"))
    featured = page[page.index('id="featured-title"') : page.index('id="new-title"')]
    assert featured.index("Launch deck") < featured.index("Battlecard")
    assert "Selling SD-WAN" in featured and "Win the branch." in featured
    assert f'href="/learning/{course.pk}/"' in featured  # the course's page in Learning
    for hidden in ("Platinum price list", "Retired deck", "Platinum masterclass", "Not featured"):
        assert hidden not in featured


def test_without_featured_items_or_banner_the_home_page_has_neither(client, member):
    page = html(client.get("/"))
    assert 'id="featured-title"' not in page and 'class="banner' not in page


@pytest.mark.parametrize("kind", ["assets", "courses"])
def test_every_audience_case_of_featured_assets_and_courses(client, home_page, kind):
    matrix = build_matrix(featured_asset if kind == "assets" else featured_course)
    user = matrix.viewer_user
    read = home_page.featured_assets_for if kind == "assets" else home_page.featured_courses_for
    assert {item.pk for item in read(user=user, limit=200)} == matrix.expected_visible
    client.force_login(user)
    page = html(client.get("/"))
    featured = page[page.index('id="featured-title"') : page.index('id="new-title"')]
    shown = {item.pk for item in matrix.items.values() if f">{item.title}<" in featured}
    assert len(shown) == min(8, len(matrix.expected_visible)) and shown <= matrix.expected_visible


# --- editors ---------------------------------------------------------------------------------------------


def test_editors_edit_the_home_page_banner_and_featured_items_in_the_admin(admin_client, home_page):
    gold = TierFactory(key="gold", rank=30)
    marketing = RoleFactory(key="marketing")
    asset, course = AssetFactory(title="Launch deck"), CourseFactory(title="Selling SD-WAN")
    edit_url = reverse("wagtailadmin_pages:edit", args=[home_page.pk])
    form = html(admin_client.get(edit_url))
    assert "Campaign banners" in form and "Featured assets" in form and "Featured courses" in form
    data = nested_form_data(
        {
            "title": home_page.title,
            "slug": home_page.slug,
            "intro": rich_text(""),
            "banners": inline_formset(
                [
                    {
                        "heading": "Gold launch",
                        "text": "Ready now.",
                        "cta_url": "/programs/",
                        "cta_label": "Open",
                        "starts_at": "",
                        "ends_at": "2099-01-01 00:00",
                        "min_tier": gold.pk,
                    }
                ]
            ),
            "featured_assets": inline_formset([{"asset": asset.pk}]),
            "featured_courses": inline_formset([{"course": course.pk}]),
            "action-publish": "publish",
        }
    )
    data["banners-0-roles"] = [marketing.pk]  # a multiple choice: nested_form_data would number it
    response = admin_client.post(edit_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = HomeBanner.objects.get()
    assert saved.heading == "Gold launch" and saved.min_tier == gold and list(saved.roles.all()) == [marketing]
    assert saved.audience_roles_key == f"|{marketing.pk}|"
    assert [f.asset_id for f in home_page.featured_assets.all()] == [asset.pk]
    assert [f.course_id for f in home_page.featured_courses.all()] == [course.pk]
    assert html(admin_client.get(edit_url))  # and it opens again with what was saved


# --- cost and the demo -----------------------------------------------------------------------------------


def test_the_home_page_with_banner_and_featured_items_costs_a_fixed_number_of_queries(
    client, member, django_assert_max_num_queries
):
    def count() -> int:
        with django_assert_max_num_queries(70) as captured:
            html(client.get("/"))
        return len(captured)

    def add_some():
        featured_asset()
        featured_course()
        banner(roles=[RoleFactory()])  # meant for someone else: skipped in the same query
        AssetFactory()
        BulletinFactory(requires_acknowledgement=True)

    banner(title="For everyone", sort_order=99)
    add_some()
    client.get("/")  # the first request of a site makes its branding settings row
    few = count()
    for _ in range(5):
        add_some()
    client.get("/")  # what they added moved the identity generation: the viewer's facts read anew once
    assert count() == few


def test_the_demo_fills_an_empty_home_page_once_and_keeps_what_editors_made(home_page):
    gold = TierFactory(key="gold", rank=30)
    AssetFactory.create_batch(4, key=None)
    AssetFactory(min_tier=gold)
    CourseFactory.create_batch(2)
    run = DemoRun(base_dir=None, today=date(2027, 6, 1))
    demo_home(run)
    home_page.refresh_from_db()
    banners = list(home_page.banners.all())
    assert [b.min_tier for b in banners] == [gold, None]
    assert home_page.featured_assets.count() == 4 and home_page.featured_courses.count() == 2
    assert home_page.get_latest_revision() is not None  # published as an editor would
    demo_home(run)
    assert HomeBanner.objects.count() == 2 and "kept" in run.summary[-1]
