"""Taking content down (archive, restore, unpublish) takes the publish permission, in every gated kind's admin.

Wagtail's Editors group may draft and submit content but not publish it; Moderators may
publish. An Editor neither sees nor can use archive, restore or unpublish, one item or
in bulk; the services refuse them too. System callers (the sweep, the importer) pass no
user and are not asked.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from wagtail.log_actions import registry as log_registry

import pytest

from cms.gating.lifecycle import LifecycleError, content_archive, content_restore
from cms.models.content import GATED_CONTENT_MODELS
from partners.factories import StaffUserFactory
from tests.cms.gated_kinds import GATED_KINDS, factory_for, kind_id

pytestmark = pytest.mark.django_db

EDITOR_ACTIONS = ("add", "change", "delete", "view", "lock")
MODERATOR_ACTIONS = (*EDITOR_ACTIONS, "publish", "unlock")
DENIED = "Sorry, you do not have permission to access this area."

kinds = pytest.mark.parametrize("model", GATED_KINDS, ids=kind_id)


def member_of(group_name: str, model, actions) -> object:
    """A staff user in Wagtail's group ``group_name``, which holds ``actions`` on ``model``.

    The library's kinds get these from a data migration already; the courses' and
    certifications' are granted here the same way.
    """
    group = Group.objects.get(name=group_name)
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    codenames = [f"{action}_{model._meta.model_name}" for action in actions]
    permissions = Permission.objects.filter(content_type=content_type, codename__in=codenames)
    assert permissions.count() == len(codenames)
    group.permissions.add(*permissions)
    user = StaffUserFactory(is_superuser=False)
    user.groups.add(group)
    return user


def editor_of(model):
    return member_of("Editors", model, EDITOR_ACTIONS)


def moderator_of(model):
    return member_of("Moderators", model, MODERATOR_ACTIONS)


def admin_url(model, view_name, item) -> str:
    return reverse(model.snippet_viewset.get_url_name(view_name), args=[item.pk])


def bulk_url(model, action, items=()) -> str:
    url = reverse("wagtail_bulk_action", args=(model._meta.app_label, model._meta.model_name, action))
    return url + "?" + "&".join(f"id={item.pk}" for item in items) if items else url


def messages_of(response) -> list[str]:
    return [str(message.message).split("\n")[0] for message in get_messages(response.wsgi_request)]


def logged(item) -> list[str]:
    return list(log_registry.get_logs_for_instance(item).values_list("action", flat=True))


def live_item(model, **kwargs):
    item = factory_for(model)(live=True, **kwargs)
    item.save_revision().publish()
    item.refresh_from_db()
    return item


def archived_item(model, **kwargs):
    item = factory_for(model)(live=False, **kwargs)
    content_archive(item=item)
    item.refresh_from_db()
    return item


def assert_unchanged_live(item, before_log):
    item.refresh_from_db()
    assert item.live is True
    assert item.archived_at is None
    assert logged(item) == before_log


# --- the default groups ------------------------------------------------------------------------


@pytest.mark.parametrize("model", GATED_CONTENT_MODELS, ids=kind_id)
def test_wagtails_editors_may_not_publish_content_and_moderators_may(model):
    def codenames(group_name):
        return set(Group.objects.get(name=group_name).permissions.values_list("codename", flat=True))

    name = model._meta.model_name
    assert f"change_{name}" in codenames("Editors")
    assert f"publish_{name}" not in codenames("Editors")
    assert {f"change_{name}", f"publish_{name}"} <= codenames("Moderators")


# --- an Editor: one item -----------------------------------------------------------------------


@kinds
def test_an_editor_cannot_archive_one_item(client, model):
    item = live_item(model, title="Partner deck")
    before = logged(item)
    client.force_login(editor_of(model))

    for response in (client.get(admin_url(model, "archive", item)), client.post(admin_url(model, "archive", item))):
        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_home")
        assert DENIED in messages_of(response)

    assert_unchanged_live(item, before)


@kinds
def test_an_editor_cannot_restore_one_item(client, model):
    item = archived_item(model)
    client.force_login(editor_of(model))

    response = client.post(admin_url(model, "restore", item))

    assert response.url == reverse("wagtailadmin_home")
    assert DENIED in messages_of(response)
    item.refresh_from_db()
    assert item.archived_at is not None


@kinds
def test_an_editor_cannot_unpublish_one_item(client, model):
    item = live_item(model)
    before = logged(item)
    client.force_login(editor_of(model))

    response = client.post(admin_url(model, "unpublish", item))

    assert response.status_code == 302
    assert DENIED in messages_of(response)
    assert_unchanged_live(item, before)


@kinds
def test_an_editor_is_offered_no_archive_restore_or_unpublish(client, model):
    live, archived = live_item(model), archived_item(model)
    client.force_login(editor_of(model))

    listing = client.get(reverse(model.snippet_viewset.get_url_name("list"))).content.decode()
    edit_live = client.get(admin_url(model, "edit", live)).content.decode()
    edit_archived = client.get(admin_url(model, "edit", archived)).content.decode()

    assert admin_url(model, "archive", live) not in listing
    assert admin_url(model, "restore", archived) not in listing
    for action in ("archive", "restore"):
        assert bulk_url(model, action) not in listing  # the bulk action bar
    assert bulk_url(model, "change_owner") in listing  # which still offers what an Editor may do
    assert admin_url(model, "archive", live) not in edit_live
    assert admin_url(model, "unpublish", live) not in edit_live
    assert admin_url(model, "restore", archived) not in edit_archived


# --- an Editor: in bulk ------------------------------------------------------------------------


@kinds
def test_an_editor_cannot_archive_in_bulk(client, model):
    items = [live_item(model, title=f"Item {n}") for n in range(2)]
    before = [logged(item) for item in items]
    client.force_login(editor_of(model))
    url = bulk_url(model, "archive", items)

    html = client.get(url).content.decode()
    assert f"You may not archive these {model._meta.verbose_name_plural}: it takes the permission to publish" in html
    assert "Yes, archive" not in html
    client.post(url)

    for item, logged_before in zip(items, before, strict=True):
        assert_unchanged_live(item, logged_before)


@kinds
def test_an_editor_cannot_restore_in_bulk(client, model):
    items = [archived_item(model) for _ in range(2)]
    client.force_login(editor_of(model))
    url = bulk_url(model, "restore", items)

    assert "Yes, restore" not in client.get(url).content.decode()
    client.post(url)

    for item in items:
        item.refresh_from_db()
        assert item.archived_at is not None


@kinds
def test_an_editor_cannot_archive_everything_in_the_listing(client, model):
    items = [live_item(model) for _ in range(3)]
    client.force_login(editor_of(model))

    client.post(bulk_url(model, "archive") + "?id=all")

    assert not model.objects.filter(pk__in=[item.pk for item in items], archived_at__isnull=False).exists()


# --- a Moderator (publisher) can ---------------------------------------------------------------


@kinds
def test_a_moderator_archives_and_restores_one_item(client, model):
    item = live_item(model, title="Partner deck")
    moderator = moderator_of(model)
    client.force_login(moderator)

    listing = client.get(reverse(model.snippet_viewset.get_url_name("list"))).content.decode()
    assert admin_url(model, "archive", item) in listing
    assert bulk_url(model, "archive") in listing
    assert admin_url(model, "archive", item) in client.get(admin_url(model, "edit", item)).content.decode()

    response = client.post(admin_url(model, "archive", item))
    assert "“Partner deck” archived." in messages_of(response)
    item.refresh_from_db()
    assert (item.live, item.archived_by) == (False, moderator)

    response = client.post(admin_url(model, "restore", item))
    assert "“Partner deck” restored as a draft." in messages_of(response)
    item.refresh_from_db()
    assert item.archived_at is None


@kinds
def test_a_moderator_archives_and_restores_in_bulk(client, model):
    items = [live_item(model) for _ in range(2)]
    client.force_login(moderator_of(model))

    client.post(bulk_url(model, "archive", items))
    assert model.objects.filter(pk__in=[i.pk for i in items], archived_at__isnull=False).count() == 2

    client.post(bulk_url(model, "restore", items))
    assert model.objects.filter(pk__in=[i.pk for i in items], archived_at__isnull=True).count() == 2


@kinds
def test_a_moderator_unpublishes_one_item(client, model):
    item = live_item(model)
    client.force_login(moderator_of(model))

    client.post(admin_url(model, "unpublish", item))

    item.refresh_from_db()
    assert item.live is False


# --- the services ------------------------------------------------------------------------------


@kinds
def test_the_services_refuse_an_editor_and_change_nothing(model):
    editor = editor_of(model)
    live, archived = live_item(model, title="Deck"), archived_item(model, title="Old deck")
    before = logged(live)

    with pytest.raises(
        LifecycleError, match="You may not archive “Deck”: it takes the permission to publish"
    ) as error:
        content_archive(item=live, user=editor)
    assert isinstance(error.value, PermissionDenied)
    assert_unchanged_live(live, before)

    with pytest.raises(LifecycleError, match="You may not restore “Old deck”"):
        content_restore(item=archived, user=editor)
    archived.refresh_from_db()
    assert archived.archived_at is not None


@kinds
def test_the_services_let_a_moderator_and_system_callers_through(model):
    moderator = moderator_of(model)
    by_moderator, by_system = live_item(model), live_item(model)

    content_archive(item=by_moderator, user=moderator)
    content_archive(item=by_system)  # the sweep and the importer pass no user

    for item in (by_moderator, by_system):
        item.refresh_from_db()
        assert item.archived_at is not None


# --- sibling: deleting a live item takes it down too -------------------------------------------


@kinds
def test_an_editor_cannot_delete_a_live_item_one_or_in_bulk(client, model):
    item = live_item(model, title="Partner deck")
    client.force_login(editor_of(model))

    for response in (
        client.get(admin_url(model, "delete", item)),
        client.post(admin_url(model, "delete", item)),
        client.post(bulk_url(model, "delete", [item])),
    ):
        assert response.status_code == 302
        assert (
            f"You may not delete “Partner deck”: it is live, and taking it down takes the permission to publish "
            f"{model._meta.verbose_name_plural}." in messages_of(response)
        )

    assert model.objects.filter(pk=item.pk, live=True).exists()


@kinds
def test_an_editor_deletes_a_draft_and_a_moderator_a_live_item(client, model):
    draft = factory_for(model)(live=False)
    client.force_login(editor_of(model))
    client.post(admin_url(model, "delete", draft))
    assert not model.objects.filter(pk=draft.pk).exists()

    live = live_item(model)
    client.force_login(moderator_of(model))
    client.post(bulk_url(model, "delete", [live]))
    assert not model.objects.filter(pk=live.pk).exists()
