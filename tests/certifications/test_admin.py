"""The Certifications admin: certificates are listed and inspected, never typed in or edited; staff revoke them."""

from django.contrib.auth.models import Group, Permission
from django.urls import reverse

import pytest

from certifications.factories import CertificationFactory
from certifications.models import Certificate
from certifications.services import certificate_issue_if_earned
from courses.factories import course_with
from courses.models import Enrollment
from courses.services.enrollment import course_enroll
from partners.factories import StaffUserFactory, partner_user

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
        for response in (admin_client.get(url), admin_client.post(url, {"expires_at": "2099-01-01 00:00"})):
            assert response.status_code in (302, 403), url
            if response.status_code == 302:
                assert response.url == reverse("wagtailadmin_home"), url
    stored = Certificate.objects.get()
    assert (stored.pk, stored.expires_at, stored.superseded_at) == (certificate.pk, certificate.expires_at, None)


def revoke_url(certificate) -> str:
    return reverse("wagtailsnippets_certifications_certificate:revoke", args=[certificate.pk])


def test_staff_revoke_a_certificate_with_a_reason_and_verification_says_so(admin_client, client, certificate):
    inspect_url = reverse("wagtailsnippets_certifications_certificate:inspect", args=[certificate.pk])
    assert revoke_url(certificate) in admin_client.get(inspect_url).content.decode()
    form = admin_client.get(revoke_url(certificate))
    assert form.status_code == 200 and "Certified seller" in form.content.decode()

    response = admin_client.post(revoke_url(certificate), {"reason": "  Shared exam answers.  "})
    assert response.status_code == 302 and response.url == inspect_url
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None and certificate.revocation_reason == "Shared exam answers."
    verified = client.get(f"/api/v1/verify/{certificate.verification_code}").json()
    assert (verified["valid"], verified["status"]) == (False, "revoked")
    assert revoke_url(certificate) not in admin_client.get(inspect_url).content.decode()
    again = admin_client.get(revoke_url(certificate))
    assert again.status_code == 302 and again.url == inspect_url  # revoked already: nothing to do


def test_a_revocation_needs_a_reason(admin_client, certificate):
    response = admin_client.post(revoke_url(certificate), {"reason": "   "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_only_staff_with_the_revoke_permission_may_revoke(client, certificate):
    editor = StaffUserFactory(username="editor", is_superuser=False)
    editor.groups.add(group := Group.objects.create(name="Channel team"))
    group.permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_certificate")
    )
    client.force_login(editor)
    assert client.post(revoke_url(certificate), {"reason": "No."}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    group.permissions.add(Permission.objects.get(codename="revoke_certificate"))
    assert client.post(revoke_url(certificate), {"reason": "Left the program."}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.revocation_reason == "Left the program."


def test_a_renewed_certificate_is_not_revoked_its_successor_is(admin_client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(superseded_at=certificate.issued_at)
    inspect_url = reverse("wagtailsnippets_certifications_certificate:inspect", args=[certificate.pk])
    assert revoke_url(certificate) not in admin_client.get(inspect_url).content.decode()
    response = admin_client.post(revoke_url(certificate), {"reason": "Too late"})
    assert response.status_code == 302 and response.url == inspect_url
    assert Certificate.objects.get().revoked_at is None
    assert admin_client.get("/admin/snippets/certifications/certificate/revoke/not-a-number/").status_code == 404


def test_whether_a_certificate_is_revoked_is_not_told_without_the_permission(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=certificate.issued_at, revocation_reason="X")
    editor = StaffUserFactory(username="editor", is_superuser=False)
    editor.groups.add(group := Group.objects.create(name="Channel team"))
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    response = client.get(revoke_url(certificate))
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
