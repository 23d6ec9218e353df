"""Content lifecycle with time controlled: draft → review → scheduled → live → expired → archived → draft.

Each transition happens only at its time, is written to Wagtail's audit log, and
changes what a partner user sees through the same selector the API uses
(``visible_to``). The sweep is idempotent, catches up, and costs a constant number
of queries whatever the number of due items.
"""

from datetime import UTC, datetime, timedelta

from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.log_actions import registry as log_registry

import pytest
import time_machine

from cms.factories import AssetFactory, BulletinFactory, ProgramFactory
from cms.gating.lifecycle import LifecycleError, content_archive, content_restore, lifecycle_sweep
from cms.models import Asset
from partners.factories import PartnerFactory, StaffUserFactory, TierFactory, partner_user

pytestmark = pytest.mark.django_db

T0 = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
GO_LIVE = T0 + timedelta(days=2)
EXPIRE = T0 + timedelta(days=20)


@pytest.fixture
def people():
    gold, silver = TierFactory(key="gold", rank=30), TierFactory(key="silver", rank=20)
    editor = StaffUserFactory(is_superuser=False)
    editor.groups.add(Group.objects.get(name="Editors"))
    moderator = StaffUserFactory(is_superuser=False)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    return {
        "gold": gold,
        "editor": editor,
        "moderator": moderator,
        "gold_user": partner_user(partner=PartnerFactory(tier=gold)),
        "silver_user": partner_user(partner=PartnerFactory(tier=silver)),
    }


def fresh(item):
    """A new instance: ``refresh_from_db`` keeps Wagtail's cached ``scheduled_revision``."""
    return type(item).objects.get(pk=item.pk)


def visible(user):
    return set(Asset.objects.visible_to(user))


def actions(item):
    return list(log_registry.get_logs_for_instance(item).order_by("timestamp", "pk").values_list("action", flat=True))


def test_full_lifecycle_each_step_at_its_time(people, settings):
    settings.ARCHIVE_AFTER_EXPIRY_DAYS = 30
    gold_user, silver_user = people["gold_user"], people["silver_user"]
    with time_machine.travel(T0, tick=False):
        asset = AssetFactory(
            live=False, title="Gold battlecard", min_tier=people["gold"], go_live_at=GO_LIVE, expire_at=EXPIRE
        )
        asset.save_revision(user=people["editor"])
        assert asset.lifecycle_state == "draft"
        assert visible(gold_user) == set()

        # Submitted to the "Marketing review" workflow, on by default for assets.
        workflow = asset.get_workflow()
        assert workflow.name == "Marketing review"
        workflow_state = workflow.start(asset, people["editor"])
        asset = fresh(asset)
        assert asset.lifecycle_state == "in review"
        assert visible(gold_user) == set()

        # A moderator approves: the last task publishes, and with a future go_live_at that means scheduled.
        workflow_state.current_task_state.approve(user=people["moderator"])
        asset = fresh(asset)
        assert not asset.live
        assert asset.lifecycle_state == "scheduled"
        assert lifecycle_sweep().total == 0
        assert visible(gold_user) == set()

    with time_machine.travel(GO_LIVE - timedelta(seconds=1), tick=False):
        assert lifecycle_sweep().total == 0
        assert visible(gold_user) == set()

    with time_machine.travel(GO_LIVE + timedelta(seconds=1), tick=False):
        result = lifecycle_sweep()
        assert (result.published, result.expired, result.archived) == (1, 0, 0)
        asset = fresh(asset)
        assert asset.live and asset.lifecycle_state == "live"
        assert visible(gold_user) == {asset}
        assert visible(silver_user) == set()  # below the minimum tier: never

    with time_machine.travel(EXPIRE + timedelta(seconds=1), tick=False):
        # Past expiry but before any sweep: read-time enforcement already hides it.
        assert visible(gold_user) == set()
        result = lifecycle_sweep()
        assert (result.published, result.expired, result.archived) == (0, 1, 0)
        asset = fresh(asset)
        assert not asset.live and asset.expired and asset.lifecycle_state == "expired"

    with time_machine.travel(EXPIRE + timedelta(days=29), tick=False):
        assert lifecycle_sweep().total == 0

    with time_machine.travel(EXPIRE + timedelta(days=30, seconds=1), tick=False):
        result = lifecycle_sweep()
        assert result.archived == 1
        asset = fresh(asset)
        assert asset.lifecycle_state == "archived"
        assert visible(gold_user) == set()
        assert asset.revisions.count() >= 1  # history kept

        content_restore(item=asset, user=people["moderator"])
        asset = fresh(asset)
        assert asset.lifecycle_state == "draft"
        assert asset.expire_at is None  # a past expiry is cleared so it can be published again
        assert visible(gold_user) == set()

    assert actions(asset) == [
        "wagtail.workflow.start",
        "wagtail.workflow.approve",
        "wagtail.publish.schedule",
        "wagtail.publish.scheduled",
        "wagtail.unpublish.scheduled",
        "partnerhub.archive.scheduled",
        "partnerhub.restore",
    ]


def test_archive_hides_a_live_item_and_restore_returns_a_draft(people):
    asset = AssetFactory(live=True)
    assert visible(people["gold_user"]) == {asset}
    content_archive(item=asset, user=people["moderator"])
    asset = fresh(asset)
    assert asset.archived_at is not None and not asset.live
    assert visible(people["gold_user"]) == set()
    with pytest.raises(LifecycleError, match="already archived"):
        content_archive(item=asset)
    content_restore(item=asset, user=people["moderator"])
    asset = fresh(asset)
    assert asset.archived_at is None and not asset.live
    with pytest.raises(LifecycleError, match="not archived"):
        content_restore(item=asset)
    assert actions(asset)[-2:] == ["partnerhub.archive", "partnerhub.restore"]


def test_archiving_a_scheduled_item_cancels_its_schedule(people):
    with time_machine.travel(T0, tick=False):
        asset = AssetFactory(live=False, go_live_at=GO_LIVE)
        asset.save_revision().publish()
        asset = fresh(asset)
        assert asset.lifecycle_state == "scheduled"
        content_archive(item=asset)
    with time_machine.travel(GO_LIVE + timedelta(hours=1), tick=False):
        assert lifecycle_sweep().published == 0
        asset = fresh(asset)
        assert not asset.live


def test_sweep_catches_up_and_a_second_run_does_nothing(people, settings):
    settings.ARCHIVE_AFTER_EXPIRY_DAYS = 30
    with time_machine.travel(T0, tick=False):
        scheduled = []
        for days in (1, 3, 5):
            item = ProgramFactory(live=False, go_live_at=T0 + timedelta(days=days))
            item.save_revision().publish()
            scheduled.append(item)
        expiring = [BulletinFactory(live=True, expire_at=T0 + timedelta(days=d)) for d in (2, 4)]
        long_expired = AssetFactory(live=True, expire_at=T0 + timedelta(days=1))
    # The scheduler was down for 40 days; one run catches everything up.
    with time_machine.travel(T0 + timedelta(days=40), tick=False):
        first = lifecycle_sweep()
        # All three expired items are now more than 30 days past expiry, so they are archived too.
        assert (first.published, first.expired, first.archived) == (3, 3, 3)
        second = lifecycle_sweep()
        assert second.total == 0
    for item in scheduled:
        item = fresh(item)
        assert item.live
    for item in expiring:
        item = fresh(item)
        assert item.expired and not item.live
    long_expired = fresh(long_expired)
    assert long_expired.archived_at is not None
    # Each transition is logged exactly once, even though the sweep ran twice.
    assert actions(long_expired).count("wagtail.unpublish.scheduled") == 1
    assert actions(long_expired).count("partnerhub.archive.scheduled") == 1


def _due_population(count):
    with time_machine.travel(T0, tick=False):
        for n in range(count):
            item = AssetFactory(live=False, go_live_at=T0 + timedelta(hours=1), title=f"Scheduled {n}")
            item.save_revision().publish()
            AssetFactory(live=True, expire_at=T0 + timedelta(hours=1), title=f"Expiring {n}")


def _sweep_queries():
    with time_machine.travel(T0 + timedelta(days=2), tick=False), CaptureQueriesContext(connection) as queries:
        result = lifecycle_sweep(batch_size=500)
    return result, len(queries.captured_queries)


def test_sweep_query_count_does_not_grow_with_due_items():
    _due_population(3)
    small_result, small_queries = _sweep_queries()
    assert (small_result.published, small_result.expired) == (3, 3)
    Asset.objects.all().delete()
    _due_population(40)
    big_result, big_queries = _sweep_queries()
    assert (big_result.published, big_result.expired) == (40, 40)
    assert big_queries == small_queries


def test_expired_item_is_never_served_even_if_the_sweep_never_runs(people):
    with time_machine.travel(T0, tick=False):
        asset = AssetFactory(live=True, expire_at=T0 + timedelta(minutes=5))
        assert visible(people["gold_user"]) == {asset}
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        assert visible(people["gold_user"]) == set()
        asset = fresh(asset)
        assert not asset.is_live_for_partners()


def test_lifecycle_sweep_command_reports(capsys):
    from io import StringIO

    from django.core.management import call_command

    AssetFactory(live=True, expire_at=T0)
    out = StringIO()
    with time_machine.travel(T0 + timedelta(seconds=1), tick=False):
        call_command("lifecycle_sweep", stdout=out)
        call_command("lifecycle_sweep", stdout=out)
    text = out.getvalue()
    assert "Sweep done: 0 published, 1 expired, 0 archived." in text
    assert "Sweep done: 0 published, 0 expired, 0 archived." in text


def test_publishing_an_old_draft_never_unarchives(people):
    asset = AssetFactory(live=True)
    draft = asset.save_revision()  # saved before the archive
    content_archive(item=asset)
    draft.publish(skip_permission_checks=True)
    asset = fresh(asset)
    assert asset.archived_at is not None


def test_archiving_cancels_a_running_review(people):
    asset = AssetFactory(live=False)
    asset.save_revision(user=people["editor"])
    workflow_state = asset.get_workflow().start(asset, people["editor"])
    content_archive(item=asset, user=people["moderator"])
    workflow_state.refresh_from_db()
    assert workflow_state.status == "cancelled"
    assert fresh(asset).current_workflow_state is None


def test_a_scheduled_asset_whose_file_is_not_cleared_waits_and_never_stops_the_sweep(people, settings, clamd_down):
    """Scheduled while scanning was off; at go-live time scanning is on and two files are still pending."""
    from cms.models import FileScan

    with time_machine.travel(T0, tick=False):
        settings.CLAMAV_URL = ""  # scanning off while they are scheduled
        pending_new = AssetFactory(live=False, go_live_at=GO_LIVE, title="Pending new")
        pending_new.save_revision().publish()
        clean_new = AssetFactory(live=False, go_live_at=GO_LIVE, title="Clean new")
        clean_new.save_revision().publish()
        live = AssetFactory(live=False, title="Live")
        live.save_revision().publish()
        live = fresh(live)
        live.title, live.go_live_at = "Live, changed", GO_LIVE
        live.save_revision().publish()  # a scheduled change of a live asset: its content waits in the revision
    settings.CLAMAV_URL = clamd_down  # on at go-live time
    FileScan.objects.update_or_create(name=clean_new.file.name, defaults={"status": FileScan.Status.CLEAN})
    for item in (pending_new, live):
        FileScan.objects.update_or_create(name=item.file.name, defaults={"status": FileScan.Status.PENDING})

    with time_machine.travel(GO_LIVE + timedelta(hours=1), tick=False):
        assert lifecycle_sweep().published == 1  # no error: the sweep went on past both
        assert fresh(clean_new).live
        assert not fresh(pending_new).live and fresh(pending_new).lifecycle_state == "scheduled"
        assert fresh(live).title == "Live"

        FileScan.objects.filter(status=FileScan.Status.PENDING).update(status=FileScan.Status.CLEAN)
        assert lifecycle_sweep().published == 2  # found clean: both go live at the next sweep
        assert fresh(pending_new).live and fresh(live).title == "Live, changed"
        assert lifecycle_sweep().published == 0
