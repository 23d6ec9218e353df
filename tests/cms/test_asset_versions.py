"""Replacing an asset's file keeps the old versions and asks for a change note."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

import pytest

from cms.factories import AssetFactory
from cms.models import AssetVersion
from cms.storage import private_storage

pytestmark = pytest.mark.django_db


def publish(asset):
    asset.save_revision().publish()
    return type(asset).objects.get(pk=asset.pk)


def test_first_publish_records_version_one():
    asset = publish(AssetFactory(live=False))
    version = asset.versions.get()
    assert (version.number, version.file.name, version.change_note) == (1, asset.file.name, "First version")


def test_replacing_the_file_keeps_the_old_version_and_its_file():
    asset = publish(AssetFactory(live=False))
    old_name = asset.file.name
    asset.file = ContentFile(b"%PDF-1.4 new prices", name="prices-2027.pdf")
    asset.version_note = "2027 prices"
    asset.full_clean()
    asset.save()
    asset = publish(asset)
    numbers = list(asset.versions.values_list("number", "change_note"))
    assert numbers == [(2, "2027 prices"), (1, "First version")]
    assert private_storage().exists(old_name)
    assert private_storage().exists(asset.file.name)
    assert asset.file.name != old_name


def test_republishing_without_a_new_file_adds_no_version():
    asset = publish(AssetFactory(live=False))
    asset.title = "Renamed"
    asset.save()
    publish(asset)
    assert AssetVersion.objects.filter(asset=asset).count() == 1


def test_replacing_the_file_without_a_change_note_is_refused():
    asset = publish(AssetFactory(live=False, version_note=""))
    asset.file = ContentFile(b"%PDF-1.4 other", name="other.pdf")
    with pytest.raises(ValidationError) as excinfo:
        asset.full_clean()
    assert "say what changed" in str(excinfo.value.message_dict["version_note"])
