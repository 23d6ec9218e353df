"""What the tests of lessons made of learning packages share: a private storage per test, real sample packages,
launches through the API and the commits the player would send (elearning's public runtime service)."""

from decimal import Decimal
from urllib.parse import urlparse

import pytest

from elearning.factories import PackageFactory
from elearning.factories_runtime import commit_12, commit_2004
from elearning.runtime.selectors import live_launch
from elearning.services.runtime import runtime_commit
from partners.services import api_token_issue


@pytest.fixture
def private_storage(settings, tmp_path):
    folder = tmp_path / "private"
    folder.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "cms.storage.PrivateFileSystemStorage", "OPTIONS": {"location": str(folder)}},
    }
    return folder


@pytest.fixture
def scorm12(private_storage):
    return PackageFactory(standard="scorm12", title="Security basics")


@pytest.fixture
def scorm2004(private_storage):
    return PackageFactory(standard="scorm2004", title="Selling with partners")


def auth(user) -> dict:
    _token, plaintext = api_token_issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def token_of(url: str) -> str:
    """The launch token in a player URL (``…/learn/play/<token>/``)."""
    return urlparse(url).path.rstrip("/").split("/")[-1]


def launch_of(url: str):
    return live_launch(token_of(url))


def finish_12(launch, *, status: str = "completed", raw: str | None = "90"):
    core = {"lesson_status": status, "exit": ""}
    if raw is not None:
        core["score"] = {"raw": raw, "min": "0", "max": "100"}
    return runtime_commit(launch=launch, unit=launch.unit, cmi=commit_12(launch, core=core), terminate=True)


def finish_2004(launch, unit, *, scaled: str = "0.9", success: str | None = None):
    changes = {
        "completion_status": "completed",
        "progress_measure": "1",
        "score": {"scaled": scaled, "raw": "", "min": "", "max": ""},
        "exit": "normal",
    }
    if success:
        changes["success_status"] = success
    return runtime_commit(launch=launch, unit=unit, cmi=commit_2004(launch, unit, **changes), terminate=True)


def percent(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))
