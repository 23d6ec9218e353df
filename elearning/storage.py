"""The files of package versions in the private storage: writing the extracted entries, removing them again.

Works with any Django storage (the local private file system, S3 through django-storages):
only ``save``, ``open``, ``exists``, ``listdir`` and ``delete`` are used, plus ``path`` when the
storage has one (to remove the empty folders the local storage leaves).
"""

import shutil

from cms.storage import private_storage


def _walk(storage, prefix: str):
    """Every file name under ``prefix`` (a folder name ending in ``/``)."""
    try:
        folders, files = storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{prefix}{name}"
    for folder in folders:
        yield from _walk(storage, f"{prefix}{folder}/")


def package_files_delete(*, content_prefix: str, archive_name: str = "") -> None:
    """Remove the extracted files under ``content_prefix`` and the archive; missing files are fine."""
    storage = private_storage()
    if archive_name:
        storage.delete(archive_name)
    if not content_prefix:
        return
    for name in list(_walk(storage, content_prefix)):
        storage.delete(name)
    try:
        folder = storage.path(content_prefix)
    except NotImplementedError:  # object storage: no folders to remove
        return
    shutil.rmtree(folder, ignore_errors=True)
