"""Receivers of elearning: the files of a deleted package version go with its row (after the commit)."""

from django.db import transaction
from django.db.models.signals import post_delete


def _delete_files_of(sender, instance, **kwargs):
    from .storage import package_files_delete

    prefix, archive = instance.content_prefix, instance.archive.name
    transaction.on_commit(lambda: package_files_delete(content_prefix=prefix, archive_name=archive))


def connect():
    from .models import PackageVersion

    post_delete.connect(_delete_files_of, sender=PackageVersion, dispatch_uid="elearning_version_files")
