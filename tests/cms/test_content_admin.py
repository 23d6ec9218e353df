"""The content admin: listings, state filter, export, archive / restore, bulk actions, editing, access."""

import re
from collections import Counter
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wagtail.log_actions import registry as log_registry
from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask

import pytest

from cms.factories import AssetFactory, BulletinFactory, ProgramFactory
from cms.gating.filters import LifecycleState
from cms.gating.lifecycle import content_archive
from cms.models import Asset, Bulletin, Program
from partners.factories import StaffUserFactory, TierFactory, partner_user

pytestmark = pytest.mark.django_db
STAFF_LOGIN = "/accounts/login/"  # where Wagtail sends the signed-out (WAGTAILADMIN_LOGIN_URL)

ADMIN_URL_NAMESPACE = {
    Asset: "wagtailsnippets_cms_asset",
    Program: "wagtailsnippets_cms_program",
    Bulletin: "wagtailsnippets_cms_bulletin",
}
FACTORIES = {Asset: AssetFactory, Program: ProgramFactory, Bulletin: BulletinFactory}


def url(model, view_name, *args) -> str:
    return reverse(f"{ADMIN_URL_NAMESPACE[model]}:{view_name}", args=args)


def bulk_url(model, action, items, **params) -> str:
    query = "&".join([*(f"id={item.pk}" for item in items), *(f"{key}={value}" for key, value in params.items())])
    return reverse("wagtail_bulk_action", args=("cms", model._meta.model_name, action)) + f"?{query}"


def listed(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def listed_pks(response) -> set:
    assert response.status_code == 200
    return {item.pk for item in response.context["object_list"]}


def message_texts(response) -> list[str]:
    """The messages' texts, without the buttons Wagtail renders after some of them."""
    return [str(message.message).split("\n")[0] for message in get_messages(response.wsgi_request)]


def status_tags(html) -> Counter:
    """How many rows show each lifecycle state tag."""
    return Counter(re.findall(r'<span class="w-status[^"]*">\s*([^<]*?)\s*</span>', html))


def actions_logged(item) -> list[str]:
    return list(log_registry.get_logs_for_instance(item).order_by("pk").values_list("action", flat=True))


@pytest.fixture
def gold():
    return TierFactory(key="gold", name="Gold", rank=30)


def start_review(item, user):
    """Put ``item`` in a one-step moderation workflow, as "Submit for moderation" does."""
    workflow = Workflow.objects.create(name="Content review")
    task = GroupApprovalTask.objects.create(name="Marketing approval")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    item.save_revision(user=user)
    workflow.start(item, user)


def one_item_per_state(model, user) -> dict:
    """One item of ``model`` in each lifecycle state (two expired: past its date, and swept)."""
    factory = FACTORIES[model]
    now = timezone.now()

    in_review = factory(title="In review item", live=False)
    start_review(in_review, user)

    scheduled = factory(title="Scheduled item", live=False, go_live_at=now + timedelta(days=3))
    scheduled.save_revision(user=user).publish(user=user)  # a future go_live_at schedules the revision

    archived = factory(title="Archived item", live=True)
    content_archive(item=archived, user=user)

    items = {
        LifecycleState.DRAFT: [factory(title="Draft item", live=False)],
        LifecycleState.IN_REVIEW: [in_review],
        LifecycleState.SCHEDULED: [scheduled],
        LifecycleState.LIVE: [
            factory(title="Live item", live=True),
            factory(title="Live until next week", live=True, expire_at=now + timedelta(days=7)),
        ],
        LifecycleState.EXPIRED: [
            factory(title="Past its expiry", live=True, expire_at=now - timedelta(hours=1)),
            factory(title="Swept expired", live=False, expired=True, expire_at=now - timedelta(days=2)),
        ],
        LifecycleState.ARCHIVED: [archived],
    }
    for state, state_items in items.items():
        for item in state_items:
            item.refresh_from_db()
            assert LifecycleState.of(item) == state, item.title
    return items


# --- listings --------------------------------------------------------------------------------


@pytest.mark.parametrize("model", [Asset, Program, Bulletin])
def test_index_views_list_items_with_their_state_tier_and_owner(superuser_client, editor, gold, model):
    FACTORIES[model](title="Gold only", live=True, min_tier=gold, owner=editor)
    FACTORIES[model](title="For everyone", live=False)

    html = listed(superuser_client.get(url(model, "list")))

    for text in ["Gold only", "For everyone", "Gold", "Any", "Live", "Draft", "Erin Editor", "Minimum tier", "State"]:
        assert text in html


def test_asset_listing_shows_the_type_and_dates(superuser_client):
    expire_at = timezone.now() + timedelta(days=30)
    AssetFactory(title="Q3 battlecard", asset_type=Asset.AssetType.BATTLECARD, expire_at=expire_at)

    html = listed(superuser_client.get(url(Asset, "list")))

    assert "Battlecard" in html
    assert f'datetime="{timezone.localtime(expire_at).isoformat()[:19]}' in html


@pytest.mark.parametrize("model", [Asset, Program, Bulletin])
def test_state_filter_returns_exactly_the_items_in_each_state(superuser_client, admin_user, model):
    items = one_item_per_state(model, admin_user)

    for state, expected in items.items():
        response = superuser_client.get(url(model, "list"), {"state": state.value})
        assert listed_pks(response) == {item.pk for item in expected}, state

    assert len(listed_pks(superuser_client.get(url(model, "list")))) == sum(map(len, items.values()))


def test_listing_shows_each_state_without_a_query_per_row(client, admin_user, editor):
    # As a member of Wagtail's Editors group. (Users who may submit translations also get Wagtail's
    # simple_translation "Translate" button, which costs one small query per row: a known Wagtail cost.)
    from django.contrib.auth.models import Group

    editor_in_group = StaffUserFactory(is_superuser=False)
    editor_in_group.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor_in_group)
    items = one_item_per_state(Asset, admin_user)
    list_url = url(Asset, "list")

    with CaptureQueriesContext(connection) as queries:
        html = listed(client.get(list_url))

    expected = Counter({state.label: len(state_items) for state, state_items in items.items()})
    assert status_tags(html) == expected
    for _ in range(5):
        AssetFactory(live=False, owner=editor)
        AssetFactory(live=True, owner=StaffUserFactory())
    with CaptureQueriesContext(connection) as more_queries:
        listed(client.get(list_url))
    assert len(more_queries) == len(queries)


def test_listing_filters_by_type_tier_owner_and_expiry(superuser_client, editor, gold):
    now = timezone.now()
    deck = AssetFactory(title="Deck", asset_type=Asset.AssetType.PRESENTATION, min_tier=gold, owner=editor)
    video = AssetFactory(
        title="Video", asset_type=Asset.AssetType.VIDEO, file="", external_url="https://video.example.test/1"
    )
    soon = AssetFactory(title="Soon gone", expire_at=now + timedelta(days=2))
    list_url = url(Asset, "list")

    assert listed_pks(superuser_client.get(list_url, {"asset_type": "video"})) == {video.pk}
    assert listed_pks(superuser_client.get(list_url, {"min_tier": gold.pk})) == {deck.pk}
    assert listed_pks(superuser_client.get(list_url, {"min_tier": "null"})) == {video.pk, soon.pk}
    assert listed_pks(superuser_client.get(list_url, {"owner": editor.pk})) == {deck.pk}
    window = {"expire_at_from": now.date().isoformat(), "expire_at_to": (now + timedelta(days=3)).date().isoformat()}
    assert listed_pks(superuser_client.get(list_url, window)) == {soon.pk}


def test_listing_searches_titles(superuser_client):
    AssetFactory(title="EMEA price list")
    AssetFactory(title="Logo pack")

    html = listed(superuser_client.get(url(Asset, "list"), {"q": "price"}))

    assert "EMEA price list" in html
    assert "Logo pack" not in html


def test_listing_exports_csv_with_the_listed_columns(superuser_client, editor, gold):
    AssetFactory(
        title="Partner deck",
        asset_type=Asset.AssetType.PRESENTATION,
        min_tier=gold,
        owner=editor,
        live=True,
        review_by=timezone.localdate() + timedelta(days=90),
    )
    archived = AssetFactory(title="Old logo", asset_type=Asset.AssetType.BRAND_KIT)
    content_archive(item=archived)

    response = superuser_client.get(url(Asset, "list"), {"export": "csv"})

    assert response.status_code == 200
    rows = b"".join(response.streaming_content).decode().splitlines()
    assert rows[0] == "Title,Type,Minimum tier,State,Owner,Expires,Review by,Updated"
    assert any(row.startswith("Partner deck,Presentation,Gold,live,Erin Editor,,") for row in rows)
    assert any(row.startswith("Old logo,Logo / brand kit,Any,archived,,,,") for row in rows)

    filtered = superuser_client.get(url(Asset, "list"), {"export": "csv", "state": "archived"})
    rows = b"".join(filtered.streaming_content).decode().splitlines()
    assert len(rows) == 2
    assert rows[1].startswith("Old logo,")


def test_listing_exports_xlsx(superuser_client):
    AssetFactory(title="Partner deck")

    response = superuser_client.get(url(Asset, "list"), {"export": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="assets.xlsx"'


def test_the_main_menu_has_a_content_group(superuser_client):
    html = listed(superuser_client.get(reverse("wagtailadmin_home")))

    assert '"label": "Content"' in html
    for model in [Asset, Program, Bulletin]:
        assert f'"url": "{url(model, "list")}"' in html
    for namespace in ["wagtailsnippets_cms_product", "wagtailsnippets_cms_language"]:
        assert f'"url": "{reverse(f"{namespace}:list")}"' in html


@pytest.mark.parametrize("namespace", ["wagtailsnippets_cms_product", "wagtailsnippets_cms_language"])
def test_reference_data_listings_and_forms_render(superuser_client, namespace):
    assert superuser_client.get(reverse(f"{namespace}:list")).status_code == 200
    assert superuser_client.get(reverse(f"{namespace}:add")).status_code == 200


# --- archive and restore of one item ---------------------------------------------------------


def test_listing_rows_offer_archive_or_restore(superuser_client):
    live = AssetFactory(title="Live deck", live=True)
    archived = AssetFactory(title="Old deck")
    content_archive(item=archived)

    html = listed(superuser_client.get(url(Asset, "list")))

    assert f'href="{url(Asset, "archive", live.pk)}?next=' in html
    assert f'href="{url(Asset, "restore", archived.pk)}?next=' in html
    assert url(Asset, "restore", live.pk) not in html
    assert url(Asset, "archive", archived.pk) not in html


@pytest.mark.parametrize("model", [Asset, Program, Bulletin])
def test_archive_confirmation_then_post_archives_and_logs(superuser_client, admin_user, model):
    item = FACTORIES[model](title="Summer promo", live=True)
    archive_url = url(model, "archive", item.pk)

    html = listed(superuser_client.get(archive_url))
    assert "Are you sure you want to archive this" in html
    assert "Summer promo" in html

    response = superuser_client.post(archive_url)

    assert response.status_code == 302
    assert response.url == url(model, "list")
    assert "“Summer promo” archived." in message_texts(response)
    item.refresh_from_db()
    assert item.archived_at is not None
    assert item.archived_by == admin_user
    assert item.live is False
    assert item.lifecycle_state == "archived"
    assert "partnerhub.archive" in actions_logged(item)


def test_archive_returns_to_the_listing_it_came_from(superuser_client):
    item = AssetFactory()
    next_url = url(Asset, "list") + "?state=live"

    response = superuser_client.post(url(Asset, "archive", item.pk), {"next": next_url})

    assert response.url == next_url


def test_restore_brings_an_archived_item_back_as_a_draft(superuser_client):
    item = AssetFactory(title="Old deck", live=True, expire_at=timezone.now() - timedelta(days=40))
    content_archive(item=item)
    restore_url = url(Asset, "restore", item.pk)

    assert "Are you sure you want to restore this" in listed(superuser_client.get(restore_url))
    response = superuser_client.post(restore_url)

    assert response.status_code == 302
    assert "“Old deck” restored as a draft." in message_texts(response)
    item.refresh_from_db()
    assert item.archived_at is None
    assert item.live is False
    assert item.expire_at is None
    assert item.lifecycle_state == "draft"
    assert actions_logged(item)[-1] == "partnerhub.restore"


def test_archiving_an_archived_item_is_refused_and_changes_nothing(superuser_client):
    item = AssetFactory(title="Old deck")
    content_archive(item=item)
    item.refresh_from_db()
    archived_at, logged = item.archived_at, actions_logged(item)

    response = superuser_client.post(url(Asset, "archive", item.pk))

    assert response.status_code == 302
    assert "“Old deck” is already archived." in message_texts(response)
    item.refresh_from_db()
    assert item.archived_at == archived_at
    assert actions_logged(item) == logged

    response = superuser_client.get(url(Asset, "archive", item.pk))
    assert response.status_code == 302
    assert "“Old deck” is already archived." in message_texts(response)


def test_restoring_an_item_that_is_not_archived_is_refused(superuser_client):
    item = AssetFactory(title="Live deck", live=True)

    response = superuser_client.post(url(Asset, "restore", item.pk))

    assert "“Live deck” is not archived." in message_texts(response)
    item.refresh_from_db()
    assert item.live is True
    assert "partnerhub.restore" not in actions_logged(item)


def test_an_item_in_review_is_not_archived(superuser_client, admin_user):
    item = AssetFactory(title="Pending deck", live=False)
    start_review(item, admin_user)

    response = superuser_client.post(url(Asset, "archive", item.pk))

    assert "“Pending deck” is in a moderation workflow; cancel the workflow before archiving it." in message_texts(
        response
    )
    item.refresh_from_db()
    assert item.archived_at is None


def test_an_item_locked_by_someone_else_is_not_archived(superuser_client, editor):
    item = AssetFactory(title="Locked deck")
    item.locked, item.locked_by, item.locked_at = True, editor, timezone.now()
    item.save()

    response = superuser_client.post(url(Asset, "archive", item.pk))

    assert "“Locked deck” is locked by another user; it can be changed once it is unlocked." in message_texts(response)
    item.refresh_from_db()
    assert item.archived_at is None


def test_archive_and_restore_are_in_the_edit_views_action_menu(superuser_client):
    item = AssetFactory(title="Deck", live=True)
    edit_url = url(Asset, "edit", item.pk)

    html = listed(superuser_client.get(edit_url))
    assert f'href="{url(Asset, "archive", item.pk)}"' in html
    assert url(Asset, "restore", item.pk) not in html

    content_archive(item=item)
    html = listed(superuser_client.get(edit_url))
    assert f'href="{url(Asset, "restore", item.pk)}"' in html
    assert url(Asset, "archive", item.pk) not in html
    assert 'name="action-publish"' not in html  # an archived item is restored, not published
    assert "This asset is archived: partners don&#x27;t see it. Restore it to change it." in html


def test_an_archived_item_cannot_be_saved_or_published_until_restored(superuser_client):
    item = ProgramFactory(title="Old program")
    content_archive(item=item)

    response = superuser_client.post(
        url(Program, "edit", item.pk),
        {
            "title": "Old program, again",
            "key_dates-TOTAL_FORMS": "0",
            "key_dates-INITIAL_FORMS": "0",
            "action-publish": "1",
        },
    )

    assert response.status_code == 302
    assert "“Old program” is archived: restore it before you change it." in message_texts(response)
    item.refresh_from_db()
    assert item.title == "Old program"
    assert item.archived_at is not None
    assert item.live is False


def test_log_actions_are_registered_for_the_history(superuser_client):
    assert log_registry.get_action_label("partnerhub.archive") == "Archive"
    assert log_registry.get_action_label("partnerhub.restore") == "Restore"
    assert log_registry.get_action_label("partnerhub.archive.scheduled") == "Archive after expiry"
    item = AssetFactory(title="Deck")
    superuser_client.post(url(Asset, "archive", item.pk))
    superuser_client.post(url(Asset, "restore", item.pk))

    html = listed(superuser_client.get(url(Asset, "history", item.pk)))

    assert "Archived" in html
    assert "Restored as a draft" in html


# --- bulk actions ----------------------------------------------------------------------------


def test_bulk_archive_archives_and_skips_what_is_already_archived(superuser_client):
    live = AssetFactory(title="Live deck", live=True)
    draft = AssetFactory(title="Draft deck", live=False)
    archived = AssetFactory(title="Old deck")
    content_archive(item=archived)
    action_url = bulk_url(Asset, "archive", [live, draft, archived])

    html = listed(superuser_client.get(action_url))
    assert "Yes, archive" in html
    assert "“Old deck” is already archived." in html

    response = superuser_client.post(action_url)

    assert response.status_code == 302
    messages = message_texts(response)
    assert "2 assets archived." in messages
    assert "1 item skipped: “Old deck” is already archived." in messages
    for item in [live, draft]:
        item.refresh_from_db()
        assert item.lifecycle_state == "archived"
        assert "partnerhub.archive" in actions_logged(item)
    assert actions_logged(archived).count("partnerhub.archive") == 1


def test_bulk_archive_of_all_items_in_a_filtered_listing_archives_only_those(superuser_client):
    now = timezone.now()
    expired = [AssetFactory(live=True, expire_at=now - timedelta(days=1)) for _ in range(2)]
    live = AssetFactory(live=True)

    response = superuser_client.post(
        reverse("wagtail_bulk_action", args=("cms", "asset", "archive")) + "?id=all&state=expired"
    )

    assert response.status_code == 302
    assert Asset.objects.archived().count() == 2
    assert set(Asset.objects.archived().values_list("pk", flat=True)) == {item.pk for item in expired}
    live.refresh_from_db()
    assert live.archived_at is None


def test_bulk_restore_restores_archived_items_as_drafts(superuser_client):
    first, second = BulletinFactory(title="One"), BulletinFactory(title="Two")
    live = BulletinFactory(title="Still live")
    for item in [first, second]:
        content_archive(item=item)

    response = superuser_client.post(bulk_url(Bulletin, "restore", [first, second, live]))

    messages = message_texts(response)
    assert "2 bulletins restored as drafts." in messages
    assert "1 item skipped: “Still live” is not archived." in messages
    for item in [first, second]:
        item.refresh_from_db()
        assert item.lifecycle_state == "draft"
        assert actions_logged(item)[-1] == "partnerhub.restore"
    live.refresh_from_db()
    assert live.live is True


def test_bulk_change_owner_sets_the_owner_also_in_the_pending_draft(superuser_client, admin_user, editor):
    published = ProgramFactory(title="Published", live=True, owner=admin_user)
    with_draft = ProgramFactory(title="With a draft", live=True, owner=admin_user)
    with_draft.title = "With a draft, edited"
    with_draft.save_revision(user=admin_user)
    already = ProgramFactory(title="Owned by Erin", owner=editor)
    action_url = bulk_url(Program, "change_owner", [published, with_draft, already])

    html = listed(superuser_client.get(action_url))
    assert 'name="owner"' in html
    assert "Erin Editor" in html

    response = superuser_client.post(action_url, {"owner": editor.pk})

    assert response.status_code == 302
    messages = message_texts(response)
    assert "2 programs have a new owner." in messages
    assert "1 item skipped: “Owned by Erin” is already owned by Erin Editor." in messages
    for item in [published, with_draft]:
        item.refresh_from_db()
        assert item.owner == editor
        assert actions_logged(item)[-1] == "partnerhub.change_owner"
    assert with_draft.get_latest_revision_as_object().owner == editor  # publishing the draft keeps the new owner
    assert with_draft.get_latest_revision_as_object().title == "With a draft, edited"


def test_bulk_change_owner_only_offers_staff_users(superuser_client, editor):
    item = AssetFactory()
    outsider = partner_user()

    response = superuser_client.post(bulk_url(Asset, "change_owner", [item]), {"owner": outsider.pk})

    assert response.status_code == 200  # the form is shown again with its error
    assert "Select a valid choice" in response.content.decode()
    item.refresh_from_db()
    assert item.owner is None


# --- add and edit forms ----------------------------------------------------------------------


def test_the_add_form_creates_a_draft_asset_with_its_file_stored_privately(superuser_client, editor, gold):
    upload = SimpleUploadedFile("price-list.pdf", b"%PDF-1.4\n% price list\n", content_type="application/pdf")

    response = superuser_client.post(
        url(Asset, "add"),
        {
            "title": "2025 price list",
            "summary": "List prices for the year.",
            "asset_type": Asset.AssetType.PRICE_LIST,
            "file": upload,
            "min_tier": gold.pk,
            "owner": editor.pk,
        },
    )

    assert response.status_code == 302
    asset = Asset.objects.get(title="2025 price list")
    assert asset.live is False
    assert asset.lifecycle_state == "draft"
    assert asset.owner == editor
    assert asset.min_tier == gold
    assert asset.file.name.startswith("assets/")
    assert asset.file.name.endswith(".pdf")
    assert asset.file.storage.exists(asset.file.name)
    with asset.file.open("rb") as stored:
        assert stored.read() == b"%PDF-1.4\n% price list\n"
    assert actions_logged(asset) == ["wagtail.create"]


def test_the_add_form_asks_for_a_file_or_a_link(superuser_client):
    response = superuser_client.post(url(Asset, "add"), {"title": "Nothing", "asset_type": "document"})

    assert response.status_code == 200
    assert "Upload a file (or give an external URL for hosted videos)." in response.content.decode()
    assert not Asset.objects.filter(title="Nothing").exists()


@pytest.mark.parametrize("model", [Asset, Program, Bulletin])
def test_add_and_edit_forms_render(superuser_client, model):
    item = FACTORIES[model](title="Existing")

    assert superuser_client.get(url(model, "add")).status_code == 200
    assert superuser_client.get(url(model, "copy", item.pk)).status_code == 200
    html = listed(superuser_client.get(url(model, "edit", item.pk)))

    assert "Existing" in html
    assert "Audience" in html
    assert "Lifecycle" in html


def test_the_asset_edit_form_names_the_private_file_without_linking_to_it(superuser_client):
    asset = AssetFactory(title="Deck")

    html = listed(superuser_client.get(url(Asset, "edit", asset.pk)))

    assert asset.file.name in html
    assert f'href="{asset.file.name}' not in html


def test_the_edit_form_saves_a_draft_of_a_live_asset(superuser_client):
    asset = AssetFactory(title="Deck", live=True)

    response = superuser_client.post(
        url(Asset, "edit", asset.pk), {"title": "Deck, new edition", "asset_type": asset.asset_type}
    )

    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.title == "Deck"  # still live as it was
    assert asset.has_unpublished_changes is True
    assert asset.get_latest_revision_as_object().title == "Deck, new edition"
    assert asset.get_latest_revision_as_object().file.name == asset.file.name


# --- who may open it -------------------------------------------------------------------------


def test_a_partner_user_is_sent_to_the_login(client):
    item = AssetFactory()
    client.force_login(partner_user())

    for admin_url in [url(Asset, "list"), url(Asset, "archive", item.pk), url(Asset, "edit", item.pk)]:
        response = client.get(admin_url)
        assert response.status_code == 302
        assert response.url.startswith(STAFF_LOGIN)

    response = client.post(url(Asset, "archive", item.pk))
    item.refresh_from_db()
    assert item.archived_at is None


def test_an_editor_without_the_change_permission_cannot_archive(client):
    item = AssetFactory()
    viewer = get_user_model().objects.create_user("viewer", "viewer@example.test", "pw", is_staff=True)
    group = Group.objects.create(name="Content viewers")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(content_type__app_label="cms", codename="view_asset"),
    )
    viewer.groups.add(group)
    client.force_login(viewer)

    html = listed(client.get(url(Asset, "list")))
    assert url(Asset, "archive", item.pk) not in html
    for response in [client.get(url(Asset, "archive", item.pk)), client.post(url(Asset, "archive", item.pk))]:
        # Wagtail answers PermissionDenied with a redirect to the dashboard and a message.
        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_home")
        assert "Sorry, you do not have permission to access this area." in message_texts(response)

    html = listed(client.get(bulk_url(Asset, "archive", [item])))
    assert "You may not archive these assets: it takes the permission to publish them." in html
    client.post(bulk_url(Asset, "archive", [item]))
    item.refresh_from_db()
    assert item.archived_at is None


def test_archiving_a_missing_item_is_not_found(superuser_client):
    assert superuser_client.get(url(Asset, "archive", 999999)).status_code == 404
