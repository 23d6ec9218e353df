"""Fixtures of the elearning tests: a private storage of their own per test, to see every file written."""

from pathlib import Path

from django.core.files.base import ContentFile

import pytest


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path) -> Path:
    """The private storage's folder for this test (empty at the start)."""
    folder = tmp_path / "private"
    folder.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "cms.storage.PrivateFileSystemStorage", "OPTIONS": {"location": str(folder)}},
    }
    return folder


def stored_files(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def upload(data: bytes, name: str = "package.zip") -> ContentFile:
    return ContentFile(data, name=name)
