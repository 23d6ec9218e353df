"""My certifications in the portal: statuses in words, the renewal path, the PDF, the share link, what I can earn."""

import io
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from django.core.files.images import ImageFile
from django.db import reset_queries
from django.test import override_settings
from django.utils import timezone

from wagtail.images import get_image_model

import pytest
from PIL import Image as PILImage
from pypdf import PdfReader

from certifications.factories import CertificateFactory, CertificationFactory
from certifications.services import certificate_revoke
from courses.factories import CourseFactory
from courses.models import Enrollment
from partners.factories import StaffUserFactory, TierFactory, partner_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client, gold_partner_user):
    client.force_login(gold_partner_user.user)
    return gold_partner_user.user


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def certificate(user, title, *, expires_in=timedelta(days=700), **certification):
    return CertificateFactory(
        user=user, certification=CertificationFactory(title=title, **certification), expires_in=expires_in
    )


def card_of(page: str, title: str) -> str:
    """The HTML of the certificate card whose title is ``title``."""
    cards = page.split('<li class="card cert-card')[1:]
    (card,) = [card for card in cards if f">{title}</a>" in card.split("</h3>")[0]]
    return card.split("</section>")[0]


def test_my_certificates_say_their_status_in_words(client, member):
    certificate(member, "Valid one")
    soon = certificate(member, "Expiring one", expires_in=timedelta(days=20, hours=1))
    certificate(member, "Expired one", expires_in=timedelta(days=-3))
    revoked = certificate(member, "Revoked one")
    certificate_revoke(certificate=revoked, reason="Exam answers shared", user=StaffUserFactory())
    page = html(client.get("/certifications/"))
    assert "Valid until" in card_of(page, "Valid one") and ">✓</span>Valid<" in card_of(page, "Valid one")
    expiring = card_of(page, "Expiring one")
    assert "Expiring soon" in expiring and "20 days left" in expiring
    assert f"{soon.expires_at:%Y}" in expiring
    assert "Expired on" in card_of(page, "Expired one")
    assert "Revoked on" in card_of(page, "Revoked one") and "Exam answers shared" in card_of(page, "Revoked one")
    # What needs attention comes first.
    assert page.index("Expiring one") < page.index("Valid one") < page.index("Expired one") < page.index("Revoked one")
    assert "1 valid certificate" not in page and "2 valid certificates" in page and "3 need attention" in page


def test_a_renewed_certificate_is_history_and_links_both_ways(client, member):
    old = certificate(member, "Renewed cert")
    old.superseded_at = timezone.now()
    old.save()
    new = CertificateFactory(user=member, certification=old.certification, renewed_from=old)
    page = html(client.get("/certifications/"))
    history = page[page.index("Earlier certificates") :]
    assert f'href="/certifications/{old.pk}/"' in history and "Renewed" in history
    detail = html(client.get(f"/certifications/{new.pk}/"))
    assert f'href="/certifications/{old.pk}/"' in detail
    assert f'href="/certifications/{new.pk}/"' in html(client.get(f"/certifications/{old.pk}/"))


def test_the_renewal_path_names_the_courses_and_the_window(client, member):
    refresher = CourseFactory(title="SD-WAN refresher 2027")
    hidden = CourseFactory(title="Platinum refresher", min_tier=TierFactory(key="platinum", rank=40))
    later = certificate(member, "Not yet", renewal_courses=[refresher], renewal_window_days=60)
    certificate(member, "Renew now", expires_in=timedelta(days=30), renewal_courses=[refresher, hidden])
    certificate(member, "Lapsed", expires_in=timedelta(days=-10), renewal_courses=[refresher])
    certificate(member, "No path")
    page = html(client.get("/certifications/"))
    opens = later.expires_at - timedelta(days=60)
    assert f"opens on {opens.day} " in card_of(page, "Not yet")
    now = card_of(page, "Renew now")
    assert "Renew by" in now and f'href="/learning/{refresher.pk}/"' in now and "SD-WAN refresher 2027" in now
    assert "Platinum refresher" not in now and "1 more renewal course is not available" in now  # counted, not named
    lapsed = card_of(page, "Lapsed")
    assert "Earn it again" in lapsed and f'href="/learning/{refresher.pk}/"' in lapsed
    assert "no renewal course" in card_of(page, "No path")


def test_a_completed_renewal_course_says_the_renewal_follows(client, member):
    refresher = CourseFactory(title="Refresher")
    held = certificate(member, "Renewing", renewal_courses=[refresher], renewal_window_days=60)
    Enrollment.objects.create(user=member, course=refresher, completed_at=timezone.now())
    assert "issued when the window opens" in card_of(html(client.get("/certifications/")), "Renewing")
    assert held.pk


def test_certifications_i_can_earn_link_their_courses_and_hide_what_is_not_for_me(client, member):
    course = CourseFactory(title="Routing basics")
    CertificationFactory(title="Routing associate", required_courses=[course])
    CertificationFactory(title="Platinum architect", min_tier=TierFactory(key="platinum", rank=40))
    page = html(client.get("/certifications/"))
    earn = page[page.index("Certifications you can earn") :]
    assert "Routing associate" in earn and f'href="/learning/{course.pk}/"' in earn and "0% done" in earn
    assert "Platinum architect" not in page
    assert "You hold no certificate yet" in page


def test_the_pdf_is_mine_only(client, member):
    mine = certificate(member, "My cert")
    response = client.get(f"/certifications/{mine.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "My cert" in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert f'href="/certifications/{mine.pk}/pdf/"' in html(client.get("/certifications/"))
    theirs = CertificateFactory(user=partner_user())
    assert client.get(f"/certifications/{theirs.pk}/pdf/").status_code == 404
    assert client.get(f"/certifications/{theirs.pk}/").status_code == 404
    assert client.get("/certifications/999999/").status_code == 404


def test_the_share_link_leads_to_the_verification_page(client, member, settings):
    settings.PARTNERHUB_PUBLIC_URL = (
        "https://partners.example.com"  # links leave the request: on the one public address
    )
    mine = certificate(member, "Shareable cert")
    card = card_of(html(client.get("/certifications/")), "Shareable cert")
    url = f"https://partners.example.com/verify/{mine.verification_code}/"
    assert re.search(rf'<input[^>]*value="{re.escape(url)}"[^>]*readonly', card)
    assert 'for="share-' in card  # labelled
    linkedin = re.search(r'href="(https://www\.linkedin\.com/profile/add\?[^"]+)"', card).group(1)
    query = parse_qs(urlsplit(linkedin.replace("&amp;", "&")).query)
    assert query["certUrl"] == [url] and query["name"] == ["Shareable cert"]
    assert query["certId"] == [mine.verification_code]
    assert 'href="mailto:?subject=' in card
    client.logout()
    verification = html(client.get(urlsplit(url).path))
    assert "Shareable cert" in verification and "Valid" in verification


def test_the_detail_page_shows_one_certificate(client, member):
    mine = certificate(member, "Detailed cert", expires_in=timedelta(days=10))
    page = html(client.get(f"/certifications/{mine.pk}/"))
    assert "<h1>Detailed cert</h1>" in page and mine.verification_code in page and "Expiring soon" in page
    assert f"/verify/{mine.verification_code}/" in page and f"/certifications/{mine.pk}/pdf/" in page


def test_the_page_is_for_partner_users_and_switches_off_with_the_portal(client, member):
    assert 'href="/certifications/" aria-current="page"' in html(client.get("/certifications/"))
    with override_settings(PARTNERHUB_PORTAL_ENABLED=False):
        assert client.get("/certifications/").status_code == 404
    client.logout()
    assert client.get("/certifications/").status_code == 302
    client.force_login(StaffUserFactory())
    assert client.get("/certifications/").status_code == 403


def badge() -> object:
    buffer = io.BytesIO()
    PILImage.new("RGB", (200, 200), (40, 40, 90)).save(buffer, "PNG")
    return get_image_model().objects.create(title="Badge", file=ImageFile(buffer, name="badge.png"))


def test_the_pages_cost_a_fixed_number_of_queries(client, member, django_assert_max_num_queries):
    def add(n):
        for i in range(n):
            refresher = CourseFactory()
            certificate(member, f"Cert {i} {refresher.pk}", renewal_courses=[refresher], badge_image=badge())
            CertificationFactory(required_courses=[CourseFactory()])
        client.get("/certifications/")  # the badges' renditions are made once, at their first showing
        reset_queries()  # the log holds 9,000 queries at most: a full one would count nothing

    add(1)
    first = CertificateFactory(user=member)
    with django_assert_max_num_queries(40) as few:
        html(client.get("/certifications/"))
    with django_assert_max_num_queries(40) as detail:
        html(client.get(f"/certifications/{first.pk}/"))
    few, detail = len(few), len(detail)  # counted now: the log is read lazily, and reset below
    add(6)
    with django_assert_max_num_queries(few):
        page = html(client.get("/certifications/"))
    assert page.count("fill-160x160") == 7  # each certification's badge
    with django_assert_max_num_queries(detail):
        html(client.get(f"/certifications/{first.pk}/"))
