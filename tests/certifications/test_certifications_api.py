"""Certifications through the API: earned automatically, listed with progress, PDF, public verification."""

import hashlib
import io
import json
from datetime import timedelta

from django.core.cache import cache

import pytest
import time_machine
from pypdf import PdfReader

from certifications.factories import CertificationFactory
from certifications.models import Certificate
from certifications.services import add_months, certificate_revoke
from courses.factories import QuestionFactory, QuizFactory, course_with
from partners.factories import PartnerFactory, TierFactory
from tests.conftest import make_token_user

pytestmark = pytest.mark.django_db


def complete_course(client, headers, course):
    client.post(f"/api/v1/courses/{course.pk}/enroll", **headers)
    for module in course.modules.all():
        for lesson in module.lessons.all():
            client.post(f"/api/v1/lessons/{lesson.pk}/complete", **headers)


@pytest.fixture
def certified(client, db):
    learner = make_token_user(partner=PartnerFactory(tier=TierFactory(key="gold", rank=30)))
    learner.user.first_name, learner.user.last_name = "Ann", "Andersen"
    learner.user.save()
    course = course_with(lessons_per_module=(2,), title="SD-WAN selling")
    certification = CertificationFactory(title="Certified SD-WAN seller", required_courses=[course])
    complete_course(client, learner.headers, course)
    return learner, certification


def test_completing_the_required_courses_issues_the_certificate(client, certified):
    learner, certification = certified
    certificate = Certificate.objects.get()
    assert (certificate.user, certificate.certification) == (learner.user, certification)
    listed = client.get("/api/v1/certifications", **learner.headers).json()["results"]
    assert listed[0]["my_status"] == "active" and listed[0]["progress_percent"] == 100
    mine = client.get("/api/v1/me/certificates", **learner.headers).json()["results"]
    assert [c["id"] for c in mine] == [certificate.pk]


def test_the_pdf_is_a_valid_pdf_with_the_code_and_only_for_the_holder(client, certified):
    learner, _certification = certified
    certificate = Certificate.objects.get()
    response = client.get(f"/api/v1/certificates/{certificate.pk}/pdf", **learner.headers)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Ann Andersen" in text and "Certified SD-WAN seller" in text
    assert certificate.verification_code in text
    other = make_token_user()
    assert client.get(f"/api/v1/certificates/{certificate.pk}/pdf", **other.headers).status_code == 404


def test_verify_is_public_and_reveals_only_name_certification_and_dates(client, certified):
    learner, _certification = certified
    certificate = Certificate.objects.get()
    body = client.get(f"/api/v1/verify/{certificate.verification_code}").json()
    assert body["valid"] is True and body["status"] == "active"
    assert body["holder"] == "Ann Andersen" and body["certification"] == "Certified SD-WAN seller"
    assert set(body) == {
        "valid",
        "status",
        "holder",
        "certification",
        "issued_at",
        "expires_at",
        "revoked_at",
    }
    assert learner.user.email not in json.dumps(body)
    assert client.get("/api/v1/verify/not-a-real-code").status_code == 404


def test_verify_shows_a_revocation(client, certified):
    certificate = Certificate.objects.get()
    certificate_revoke(certificate=certificate, reason="Issued in error")
    body = client.get(f"/api/v1/verify/{certificate.verification_code}").json()
    assert (body["valid"], body["status"], body["revoked_at"] is not None) == (False, "revoked", True)
    assert "Issued in error" not in json.dumps(
        body
    )  # the reason is about a person: the holder sees it, not the public


def test_verify_is_rate_limited_per_address(client, certified):
    code = Certificate.objects.get().verification_code
    cache.clear()
    statuses = [client.get(f"/api/v1/verify/{code}").status_code for _ in range(31)]  # 30/m by default
    assert statuses[:30] == [200] * 30
    refused = client.get(f"/api/v1/verify/{code}")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0


def test_a_made_up_forwarded_address_does_not_dodge_the_rate_limit(client, certified):
    code = Certificate.objects.get().verification_code
    cache.clear()
    statuses = [
        client.get(f"/api/v1/verify/{code}", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(31)
    ]
    assert statuses[:30] == [200] * 30 and statuses[30] == 429


def test_certifications_are_gated_by_their_audience(client, certified):
    CertificationFactory(title="Platinum architect", min_tier=TierFactory(key="platinum", rank=40))
    learner, _certification = certified
    titles = [c["title"] for c in client.get("/api/v1/certifications", **learner.headers).json()["results"]]
    assert titles == ["Certified SD-WAN seller"]


def test_a_required_course_i_may_not_see_is_counted_never_named(client, certified):
    learner, certification = certified
    secret = course_with(title="Platinum secrets", min_tier=TierFactory(key="platinum", rank=40))
    certification.required_courses.add(secret)
    certification.save()
    (row,) = client.get("/api/v1/certifications", **learner.headers).json()["results"]
    assert [r["title"] for r in row["requirements"]] == ["SD-WAN selling"]
    assert (row["unavailable_requirements"], row["progress_percent"]) == (1, 50)
    assert "Platinum" not in json.dumps(row)


def test_the_open_badge_is_a_hosted_assertion_with_a_hashed_recipient(client, certified, settings):
    settings.PARTNERHUB_PUBLIC_URL = "https://partners.example.com"
    learner, _certification = certified
    certificate = Certificate.objects.get()
    (mine,) = client.get("/api/v1/me/certificates", **learner.headers).json()["results"]
    url = mine["open_badge_url"]
    assert url == f"http://testserver/api/v1/verify/{certificate.verification_code}/badge"
    response = client.get(url)  # public: a backpack fetches it without a token
    assert response.status_code == 200 and response["Content-Type"] == "application/ld+json"
    badge = response.json()
    assert (badge["@context"], badge["type"], badge["id"]) == ("https://w3id.org/openbadges/v2", "Assertion", url)
    assert badge["verification"] == {"type": "hosted"}
    assert badge["badge"]["name"] == "Certified SD-WAN seller"
    assert badge["badge"]["criteria"]["narrative"] == "Earned by completing 1 required course; valid for 24 months."
    assert "SD-WAN selling" not in response.content.decode()  # the public badge names no gated course
    assert badge["badge"]["image"].startswith("data:image/svg+xml;base64,")
    assert badge["badge"]["issuer"]["type"] == "Profile"
    assert badge["badge"]["issuer"]["url"] == "https://partners.example.com/"  # the one public address
    recipient = badge["recipient"]
    expected = hashlib.sha256((learner.user.email.lower() + recipient["salt"]).encode()).hexdigest()
    assert recipient == {"type": "email", "hashed": True, "salt": recipient["salt"], "identity": f"sha256${expected}"}
    assert learner.user.email not in response.content.decode()  # the address itself never appears
    assert client.get("/api/v1/verify/not-a-code/badge").status_code == 404


def test_a_revoked_badge_answers_410_and_keeps_the_reason_private(client, certified):
    certificate = certificate_revoke(certificate=Certificate.objects.get(), reason="Shared exam answers.")
    response = client.get(f"/api/v1/verify/{certificate.verification_code}/badge")
    assert response.status_code == 410
    body = response.json()
    assert body["revoked"] is True and "revocationReason" not in body
    assert "recipient" not in body and "badge" not in body and "Shared exam" not in response.content.decode()


def test_a_holder_sees_how_to_renew_and_renews_inside_the_window(client, certified):
    learner, certification = certified
    refresher = course_with(title="SD-WAN refresher 2028")
    certification.renewal_courses.set([refresher])
    certification.save()
    original = Certificate.objects.get()
    (listed,) = client.get("/api/v1/certifications", **learner.headers).json()["results"]
    renewal = listed["renewal"]
    assert renewal["opens_at"][:10] == original.renewal_opens_at.date().isoformat()
    assert [(c["title"], c["done"]) for c in renewal["courses"]] == [("SD-WAN refresher 2028", False)]

    with time_machine.travel(original.renewal_opens_at + timedelta(days=1)):
        complete_course(client, learner.headers, refresher)
        mine = client.get("/api/v1/me/certificates", **learner.headers).json()["results"]
    assert [(c["status"], c["renewed_from_id"]) for c in mine] == [("active", original.pk), ("renewed", None)]
    assert mine[0]["expires_at"][:10] == add_months(original.expires_at, 24).date().isoformat()


def test_an_exam_failed_in_one_course_is_not_retaken_in_another_for_the_certification(client, db):
    learner = make_token_user()
    exam = QuizFactory(attempt_limit=1, pass_mark=50)
    question = QuestionFactory(bank=exam.bank)
    required = course_with(lessons_per_module=(1,), title="Required", final_quiz=exam)
    elsewhere = course_with(lessons_per_module=(1,), title="Elsewhere", final_quiz=exam)
    CertificationFactory(title="Certified", required_courses=[required], exam=exam)
    complete_course(client, learner.headers, required)
    complete_course(client, learner.headers, elsewhere)
    url = f"/api/v1/quizzes/{exam.pk}/attempts"
    body = client.post(f"{url}?course_id={required.pk}", **learner.headers).json()
    wrong = [c["id"] for c in body["questions"][0]["choices"] if c["text"] == "Wrong"]
    answers = {"answers": {str(question.pk): wrong}}
    client.post(f"/api/v1/attempts/{body['id']}/submit", answers, content_type="application/json", **learner.headers)
    retry = client.post(f"{url}?course_id={elsewhere.pk}", **learner.headers)
    assert retry.status_code == 409 and not Certificate.objects.exists()
    (row,) = client.get("/api/v1/certifications", **learner.headers).json()["results"]
    assert [(r["kind"], r["done"]) for r in row["requirements"]] == [("course", False), ("exam", False)]


def test_an_exam_i_may_not_see_is_counted_never_named(client, certified):
    learner, certification = certified
    exam = QuizFactory(title="Platinum architect exam")
    course_with(title="Platinum track", min_tier=TierFactory(key="platinum", rank=40), final_quiz=exam)
    certification.exam = exam
    certification.save()
    (row,) = client.get("/api/v1/certifications", **learner.headers).json()["results"]
    assert [(r["kind"], r["title"]) for r in row["requirements"]] == [("course", "SD-WAN selling")]
    assert (row["unavailable_requirements"], row["progress_percent"]) == (1, 50)
    assert "Platinum" not in json.dumps(row)
