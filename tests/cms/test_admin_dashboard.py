"""The admin is a partner hub's, not a page site's: what an editor sees on the dashboard and in the menus.

Wagtail's page-site furniture ("1 Page · 1 Image · 0 Documents", "Search all pages…", the Pages menu,
the page reports) is replaced by the hub's figures, an asset search, and "Portal home page".
Superusers keep the page tree and the page reports.
"""

from django.contrib.auth.models import Group
from django.urls import reverse

import pytest

from cms.factories import AssetFactory
from courses.factories import CourseFactory
from home.models import HomePage
from partners.factories import (
    PartnerFactory,
    PartnerMembershipFactory,
    StaffUserFactory,
    staff_user_with_permissions,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    editor = StaffUserFactory(is_superuser=False)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    return client


def test_an_editors_dashboard_has_the_hubs_figures_and_an_asset_search_not_the_page_site(client):
    AssetFactory(title="Price deck")
    CourseFactory.create_batch(2, live=True)
    CourseFactory(live=False)
    editor = staff_user_with_permissions("cms.change_asset", "courses.change_course")
    client.force_login(editor)

    response = client.get(reverse("wagtailadmin_home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Search all pages" not in html
    assert "Documents</a>" not in html and "Page <span" not in html
    assert 'data-summary-item="courses"' in html and "2 live courses" in html
    search_url = reverse("wagtailsnippets_cms_asset:list")
    assert f'action="{search_url}"' in html and 'name="q"' in html
    assert "Content health" in html


def test_the_summary_counts_only_active_partners_and_current_users_for_who_may_list_them(client):
    active = PartnerFactory()
    PartnerFactory(is_active=False)
    PartnerMembershipFactory(partner=active)
    PartnerMembershipFactory(partner=active, user__is_active=False)
    superuser = StaffUserFactory()
    client.force_login(superuser)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "1 active partners" in html and "1 partner users" in html
    assert f'href="{reverse("partners:index")}"' in html


def test_an_editor_without_partner_or_course_permissions_sees_no_such_figures(editor_client):
    html = editor_client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'data-summary-item="partners"' not in html
    assert 'data-summary-item="partner_users"' not in html


def test_staff_who_may_not_edit_assets_get_no_search_box(client):
    client.force_login(staff_user_with_permissions("courses.change_course"))
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-dashboard-search" not in html and "Search all pages" not in html
    assert 'data-summary-item="courses"' in html


def test_editors_reach_the_portal_home_page_from_the_menu_and_not_the_page_tree(editor_client):
    html = editor_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Portal home page" in html
    assert '"explorer"' not in html  # the Pages menu item, by its name in the sidebar's props

    response = editor_client.get(reverse("portal_home_page"))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[HomePage.objects.get().pk])


def test_without_a_home_page_the_menu_item_says_so(editor_client):
    HomePage.objects.all().delete()
    response = editor_client.get(reverse("portal_home_page"), follow=True)
    assert "The portal has no home page yet" in response.content.decode()


def test_superusers_keep_the_page_tree_and_the_page_reports(superuser_client):
    html = superuser_client.get(reverse("wagtailadmin_home")).content.decode()
    assert '"explorer"' in html
    assert "aging-pages" in html and "page-types-usage" in html
    assert "Portal home page" not in html


def test_editors_do_not_see_the_page_reports(editor_client):
    html = editor_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "aging-pages" not in html and "page-types-usage" not in html and "locked-pages" not in html
    assert "expiring" in html  # the hub's own reports stay
