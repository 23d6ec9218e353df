"""The sign-in audit forgets events older than SIGN_IN_AUDIT_DAYS: a beat task, deleting in batches."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

import pytest

from accounts.audit import sign_in_events_purge
from accounts.factories import SignInEventFactory
from accounts.models import SignInEvent
from accounts.tasks import purge_sign_in_events

pytestmark = pytest.mark.django_db


def test_the_beat_runs_the_purge_every_day():
    entry = settings.CELERY_BEAT_SCHEDULE["purge-sign-in-events"]
    assert entry == {"task": "accounts.tasks.purge_sign_in_events", "schedule": 60 * 60 * 24}
    assert settings.SIGN_IN_AUDIT_DAYS == 400  # the documented default


def test_events_older_than_the_retention_are_deleted_and_the_rest_kept(settings):
    settings.SIGN_IN_AUDIT_DAYS = 30
    now = timezone.now()
    kept = [SignInEventFactory(at=now - timedelta(days=days)).pk for days in (0, 29)]
    for days in (31, 200, 500):
        SignInEventFactory(at=now - timedelta(days=days))
    assert purge_sign_in_events.delay().get() == 3
    assert sorted(SignInEvent.objects.values_list("pk", flat=True)) == sorted(kept)
    assert purge_sign_in_events.delay().get() == 0  # nothing left to forget


def test_a_backlog_is_deleted_in_batches_until_none_is_left(django_assert_max_num_queries):
    old = timezone.now() - timedelta(days=1000)
    SignInEventFactory.create_batch(7, at=old)
    SignInEventFactory(at=timezone.now())
    with django_assert_max_num_queries(4 * 2 + 1) as captured:  # 3 batches of 3, 3, 1 and a last look
        assert sign_in_events_purge(batch_size=3) == 7
    deletes = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("DELETE")]
    assert len(deletes) == 3
    assert SignInEvent.objects.count() == 1
