"""The Certifications admin: certificates are listed and inspected, never typed in or edited."""

from django.urls import reverse

import pytest

from certifications.factories import CertificationFactory
from certifications.services import certificate_issue_if_earned
from courses.factories import course_with
from courses.models import Enrollment
from courses.services import course_enroll
from partners.factories import partner_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate():
    course = course_with()
    certification = CertificationFactory(title="Certified seller", required_courses=[course])
    user = partner_user()
    enrollment, _ = course_enroll(user=user, course=course)
    Enrollment.objects.filter(pk=enrollment.pk).update(completed_at=enrollment.enrolled_at)
    return certificate_issue_if_earned(user=user, certification=certification)


def test_certificates_are_listed_and_inspected(admin_client, certificate):
    listing = admin_client.get(reverse("wagtailsnippets_certifications_certificate:list"))
    assert listing.status_code == 200 and "Certified seller" in listing.content.decode()
    inspect = admin_client.get(reverse("wagtailsnippets_certifications_certificate:inspect", args=[certificate.pk]))
    assert inspect.status_code == 200


def test_not_even_a_superuser_can_add_or_edit_a_certificate(admin_client, certificate):
    for url in (
        reverse("wagtailsnippets_certifications_certificate:add"),
        reverse("wagtailsnippets_certifications_certificate:edit", args=[certificate.pk]),
        reverse("wagtailsnippets_certifications_certificate:delete", args=[certificate.pk]),
    ):
        response = admin_client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response.url == reverse("wagtailadmin_home"), url
    certificate.refresh_from_db()
    assert certificate.superseded_at is None
