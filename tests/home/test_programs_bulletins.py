"""Programs and bulletins in the portal: lists, details, acknowledging, the audience rule, fixed query counts."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from cms.factories import AssetFactory, BulletinFactory, ProgramFactory
from cms.models import BulletinAcknowledgement, ProgramKeyDate
from partners.factories import TierFactory
from tests.partners.audience_matrix import build_matrix

pytestmark = pytest.mark.django_db
T0 = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def member(client, gold_partner_user):
    client.force_login(gold_partner_user.user)
    return gold_partner_user.user


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def every_page(client, url: str) -> str:
    """The list at ``url`` page after page (20 a page), as one text."""
    pages, number = [], 1
    while True:
        page = html(client.get(f"{url}?page={number}"))
        pages.append(page)
        if 'rel="next"' not in page:
            return "".join(pages)
        number += 1


# --- programs ------------------------------------------------------------------------------------------


def test_the_programs_list_shows_what_i_may_see_with_links_to_each(client, member):
    program = ProgramFactory(title="Rebate 2027", summary="Earn back on every deal.")
    ProgramKeyDate.objects.create(program=program, label="Claims due", date=datetime(2027, 9, 30).date())
    ProgramFactory(title="Platinum club", min_tier=TierFactory(key="platinum", rank=40))
    ProgramFactory(title="Draft program", live=False)
    page = html(client.get("/programs/"))
    assert "Rebate 2027" in page and "Earn back on every deal." in page
    assert f'href="/programs/{program.pk}/"' in page and "Claims due" in page and "30 Sep 2027" in page
    assert "Platinum club" not in page and "Draft program" not in page
    assert 'aria-current="page">Programs<' in page  # the navigation marks where I am


def test_a_program_page_renders_its_rich_text_dates_and_the_assets_i_may_see(client, member):
    visible = AssetFactory(title="Rebate calculator")
    hidden = AssetFactory(title="Platinum deck", min_tier=TierFactory(key="platinum", rank=40))
    program = ProgramFactory(
        title="Rebate 2027",
        body="<h2>How it works</h2><p>Register <b>every</b> deal.</p>",
        eligibility="<ul><li>Gold and above</li></ul>",
        expire_at=datetime(2099, 12, 31, tzinfo=UTC),
        related_assets=[visible, hidden],
    )
    ProgramKeyDate.objects.create(program=program, label="Enrolment closes", date=datetime(2027, 7, 1).date())
    page = html(client.get(f"/programs/{program.pk}/"))
    assert "<h1>Rebate 2027</h1>" in page
    assert "<h2>How it works</h2>" in page and "<b>every</b>" in page and "<li>Gold and above</li>" in page
    assert "Enrolment closes" in page and "1 Jul 2027" in page and "31 Dec 2099" in page
    assert f'href="/library/{visible.pk}/"' in page
    assert "Platinum deck" not in page and f"/library/{hidden.pk}/" not in page


def test_a_program_title_with_markup_is_shown_as_text(client, member):
    program = ProgramFactory(title="<script>alert(1)</script>Deal", summary="<img src=x onerror=alert(1)>")
    page = html(client.get(f"/programs/{program.pk}/"))
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in page


def test_a_program_i_may_not_see_is_404(client, member):
    for program in (
        ProgramFactory(min_tier=TierFactory(key="platinum", rank=40)),
        ProgramFactory(live=False),
        ProgramFactory(expire_at=datetime(2020, 1, 1, tzinfo=UTC)),
    ):
        assert client.get(f"/programs/{program.pk}/").status_code == 404
    assert client.get("/programs/999999/").status_code == 404


def test_every_audience_case_of_programs_list_and_detail(client):
    matrix = build_matrix(ProgramFactory)
    client.force_login(matrix.viewer_user)
    page = every_page(client, "/programs/")
    assert page.count('rel="next"') == 1  # 24 visible: two pages
    for key, program in matrix.items.items():
        visible = program.pk in matrix.expected_visible
        assert (f'href="/programs/{program.pk}/"' in page) == visible, key
        assert client.get(f"/programs/{program.pk}/").status_code == (200 if visible else 404), key


# --- bulletins -----------------------------------------------------------------------------------------


def test_the_bulletins_list_puts_pinned_first_and_marks_what_waits_for_me(client, member):
    with time_machine.travel(T0, tick=False):
        client.force_login(member)
        old_pinned = BulletinFactory(title="Pinned rules", pinned=True, last_published_at=T0 - timedelta(days=9))
        newest = BulletinFactory(title="Newest news", last_published_at=T0 - timedelta(hours=1))
        waiting = BulletinFactory(
            title="Sign the code of conduct", requires_acknowledgement=True, last_published_at=T0 - timedelta(days=2)
        )
        done = BulletinFactory(
            title="Read already", requires_acknowledgement=True, last_published_at=T0 - timedelta(days=3)
        )
        BulletinAcknowledgement.objects.create(bulletin=done, user=member, acknowledged_at=T0 - timedelta(days=1))
        BulletinFactory(title="Platinum only", min_tier=TierFactory(key="platinum", rank=40))
        page = html(client.get("/bulletins/"))
    order = [page.index(f'id="bulletin-{b.pk}"') for b in (old_pinned, newest, waiting, done)]
    assert order == sorted(order)
    assert "Platinum only" not in page
    assert page.count("I have read this") == 1 and "Acknowledged on 31 May 2027" in page
    assert f'href="/bulletins/{waiting.pk}/"' in page


def test_the_needs_my_acknowledgement_filter_lists_only_what_waits_for_me(client, member):
    waiting = BulletinFactory(title="Sign the code of conduct", requires_acknowledgement=True)
    done = BulletinFactory(title="Read already", requires_acknowledgement=True)
    BulletinAcknowledgement.objects.create(bulletin=done, user=member)
    BulletinFactory(title="Plain news")
    page = html(client.get("/bulletins/?show=to-acknowledge"))
    assert "Sign the code of conduct" in page and "Read already" not in page and "Plain news" not in page
    assert 'aria-current="page">Needs my acknowledgement <span class="count">1</span>' in page
    client.post(f"/portal/bulletins/{waiting.pk}/acknowledge/")
    assert "You have acknowledged every bulletin" in html(client.get("/bulletins/?show=to-acknowledge"))


def test_acknowledging_from_the_detail_page_says_when(client, member):
    bulletin = BulletinFactory(title="New pricing rules", requires_acknowledgement=True, body="<p>Read me.</p>")
    with time_machine.travel(T0, tick=False):
        client.force_login(member)
        page = html(client.get(f"/bulletins/{bulletin.pk}/"))
        assert "<h1>New pricing rules</h1>" in page and "<p>Read me.</p>" in page and "I have read this" in page
        response = client.post(f"/portal/bulletins/{bulletin.pk}/acknowledge/", HTTP_HX_REQUEST="true")
        assert "Acknowledged on 1 Jun 2027" in html(response)  # the fragment the detail page swaps in
    with time_machine.travel(T0 + timedelta(days=3), tick=False):
        client.force_login(member)
        page = html(client.get(f"/bulletins/{bulletin.pk}/"))
    assert "Acknowledged on 1 Jun 2027" in page and "I have read this" not in page
    assert BulletinAcknowledgement.objects.filter(bulletin=bulletin, user=member).count() == 1


def test_acknowledging_without_htmx_comes_back_to_the_bulletin_and_never_leaves_the_site(client, member):
    bulletin = BulletinFactory(requires_acknowledgement=True)
    response = client.post(f"/portal/bulletins/{bulletin.pk}/acknowledge/", {"next": f"/bulletins/{bulletin.pk}/"})
    assert response.status_code == 302 and response["Location"] == f"/bulletins/{bulletin.pk}/"
    response = client.post(f"/portal/bulletins/{bulletin.pk}/acknowledge/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_a_bulletin_page_shows_only_the_attachments_i_may_see(client, member):
    visible = AssetFactory(title="Price list")
    hidden = AssetFactory(title="Platinum price list", min_tier=TierFactory(key="platinum", rank=40))
    bulletin = BulletinFactory(title="Prices change", attachments=[visible, hidden], pinned=True, priority="critical")
    page = html(client.get(f"/bulletins/{bulletin.pk}/"))
    assert f'href="/library/{visible.pk}/"' in page and "Platinum price list" not in page
    assert "Pinned" in page and "Critical" in page
    assert "I have read this" not in page  # it asks for nothing


def test_a_bulletin_i_may_not_see_is_404(client, member):
    for bulletin in (
        BulletinFactory(min_tier=TierFactory(key="platinum", rank=40)),
        BulletinFactory(live=False),
        BulletinFactory(expire_at=datetime(2020, 1, 1, tzinfo=UTC)),
    ):
        assert client.get(f"/bulletins/{bulletin.pk}/").status_code == 404


def test_every_audience_case_of_bulletins_list_and_detail(client):
    matrix = build_matrix(BulletinFactory)
    client.force_login(matrix.viewer_user)
    page = every_page(client, "/bulletins/")
    for key, bulletin in matrix.items.items():
        visible = bulletin.pk in matrix.expected_visible
        assert (f'id="bulletin-{bulletin.pk}"' in page) == visible, key
        assert client.get(f"/bulletins/{bulletin.pk}/").status_code == (200 if visible else 404), key


# --- access and cost -----------------------------------------------------------------------------------


def test_signed_out_visitors_go_to_sign_in_and_a_switched_off_portal_is_404(client, member, settings):
    program, bulletin = ProgramFactory(), BulletinFactory()
    settings.PARTNERHUB_PORTAL_ENABLED = False
    for url in ("/programs/", f"/programs/{program.pk}/", "/bulletins/", f"/bulletins/{bulletin.pk}/"):
        assert client.get(url).status_code == 404, url
    settings.PARTNERHUB_PORTAL_ENABLED = True
    client.logout()
    response = client.get("/bulletins/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=/bulletins/")


@pytest.mark.parametrize("url", ["/programs/", "/bulletins/", "/bulletins/?show=to-acknowledge"])
def test_the_lists_cost_a_fixed_number_of_queries(client, member, django_assert_max_num_queries, url):
    def count() -> int:
        with django_assert_max_num_queries(40) as captured:
            html(client.get(url))
        return len(captured)

    def add_some():
        asset = AssetFactory()
        program = ProgramFactory(related_assets=[asset])
        ProgramKeyDate.objects.create(program=program, label="Due", date=datetime(2027, 9, 30).date())
        BulletinFactory(requires_acknowledgement=True, attachments=[asset])
        acknowledged = BulletinFactory(requires_acknowledgement=True)
        BulletinAcknowledgement.objects.create(bulletin=acknowledged, user=member)

    add_some()
    client.get(url)  # the first request of a site makes its branding settings row
    few = count()
    for _ in range(7):
        add_some()
    assert count() == few


def test_the_detail_pages_cost_a_fixed_number_of_queries(client, member, django_assert_max_num_queries):
    few_assets = [AssetFactory()]
    many_assets = AssetFactory.create_batch(6)
    small = ProgramFactory(related_assets=few_assets)
    large = ProgramFactory(related_assets=many_assets)
    for n in range(5):
        ProgramKeyDate.objects.create(program=large, label=f"Date {n}", date=datetime(2027, 9, n + 1).date())
    small_bulletin = BulletinFactory(attachments=few_assets, requires_acknowledgement=True)
    large_bulletin = BulletinFactory(attachments=many_assets, requires_acknowledgement=True)
    client.get("/programs/")
    for first, second in ((small, large), (small_bulletin, large_bulletin)):
        kind = "programs" if first is small else "bulletins"
        with django_assert_max_num_queries(30) as captured:
            html(client.get(f"/{kind}/{first.pk}/"))
        with django_assert_max_num_queries(len(captured)):
            html(client.get(f"/{kind}/{second.pk}/"))
