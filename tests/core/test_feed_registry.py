"""The registry of feed sections: apps add sections to ``GET /api/v1/feed`` from their ``ready()``."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from certifications.factories import CertificateFactory, CertificationFactory
from core.feed import feed_sections, register_feed_section, unregister_feed_section
from courses.factories import CourseFactory
from courses.models import Enrollment

pytestmark = pytest.mark.django_db


def feed(client, user):
    response = client.get("/api/v1/feed", {"since": "2020-01-01T00:00:00Z"}, **user.headers)
    assert response.status_code == 200, response.content
    return response.json()


def test_courses_and_certifications_register_their_sections_in_installed_apps_order():
    assert [(section.name, section.title) for section in feed_sections()] == [
        ("courses_due", "My courses due"),
        ("certificates_expiring", "My certifications expiring"),
        ("new_briefings", "New briefings"),  # the test app's own kind plugs in the same way
    ]


def test_the_feed_lists_every_section_empty_ones_included(client, gold_partner_user):
    assert feed(client, gold_partner_user)["sections"] == [
        {"name": "courses_due", "title": "My courses due", "items": []},
        {"name": "certificates_expiring", "title": "My certifications expiring", "items": []},
        {"name": "new_briefings", "title": "New briefings", "items": []},
    ]


@pytest.fixture
def reading_list():
    def items(*, user, since, now, limit):
        return [{"kind": "book", "id": n, "title": f"Book {n}", "summary": "", "pages": 100 + n} for n in range(limit)]

    register_feed_section("reading", title="Reading list", items=items)
    yield
    unregister_feed_section("reading")


def test_a_newly_registered_section_is_in_the_feed_with_its_own_fields(client, gold_partner_user, reading_list):
    (section,) = [s for s in feed(client, gold_partner_user)["sections"] if s["name"] == "reading"]
    assert section["title"] == "Reading list"
    assert len(section["items"]) == 20  # the feed's limit per section
    assert section["items"][1] == {"kind": "book", "id": 1, "title": "Book 1", "summary": "", "pages": 101}


def test_the_sections_cost_the_same_queries_however_many_items_they_show(client, gold_partner_user):
    user = gold_partner_user.user
    soon = timezone.localdate() + timedelta(days=3)

    def populate(n):
        for _ in range(n):
            Enrollment.objects.create(user=user, course=CourseFactory(), due_date=soon)
            CertificateFactory(user=user, certification=CertificationFactory(), expires_in=timedelta(days=10))

    populate(1)
    feed(client, gold_partner_user)
    with CaptureQueriesContext(connection) as few:
        feed(client, gold_partner_user)
    few_count = len(few.captured_queries)  # now: the next request empties Django's query log
    populate(6)
    feed(client, gold_partner_user)  # new certificates change the viewer's cached facts: read anew once, as before
    with CaptureQueriesContext(connection) as many:
        data = feed(client, gold_partner_user)
    assert [len(section["items"]) for section in data["sections"]] == [7, 7, 0]
    assert len(many.captured_queries) == few_count
