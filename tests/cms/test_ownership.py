"""The owner change service (``cms.gating.ownership``): validated, logged, and carried into the pending draft."""

from django.core.exceptions import ValidationError

from wagtail.models import ModelLogEntry

import pytest

from cms.factories import ProgramFactory
from cms.gating.ownership import CHANGE_OWNER_ACTION, content_change_owner
from partners.factories import partner_user

pytestmark = pytest.mark.django_db


def test_content_change_owner_saves_logs_and_updates_the_draft(admin_user, editor):
    item = ProgramFactory(title="MDF", live=True, owner=admin_user)
    item.title = "MDF, edited"
    item.save_revision(user=admin_user)

    content_change_owner(item=item, owner=editor, user=admin_user)

    item.refresh_from_db()
    assert item.owner == editor
    assert item.get_latest_revision_as_object().owner == editor
    entry = ModelLogEntry.objects.filter(object_id=str(item.pk), action=CHANGE_OWNER_ACTION).get()
    assert entry.data["owner"]["id"] == editor.pk
    assert entry.data["previous_owner"]["id"] == admin_user.pk


def test_content_change_owner_refuses_an_owner_who_is_not_staff(admin_user):
    item = ProgramFactory(owner=admin_user)

    with pytest.raises(ValidationError) as error:
        content_change_owner(item=item, owner=partner_user(), user=admin_user)

    assert "owner" in error.value.message_dict
    item.refresh_from_db()
    assert item.owner == admin_user
    assert not ModelLogEntry.objects.filter(object_id=str(item.pk), action=CHANGE_OWNER_ACTION).exists()
