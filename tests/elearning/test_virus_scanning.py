"""Learning package uploads are scanned (cms.scanning): EICAR inside the ZIP is refused and quarantined; a
package stored while the scanner is down opens for nobody until the re-scan found it clean."""

import io
import zipfile
from io import StringIO

from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

import pytest

from cms.models import FileScan
from elearning.factories import PackageFactory
from elearning.models import Package
from elearning.samples import scorm12_sco_zip
from elearning.services import package_upload, package_version_add
from elearning.services.runtime import launch_start
from elearning.validation import PackageRejected
from partners.factories import StaffUserFactory, UserFactory
from tests.cms.fake_clamd import EICAR, FakeClamd
from tests.elearning.conftest import stored_files, upload

pytestmark = pytest.mark.django_db


def infected_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(scorm12_sco_zip())) as sample, zipfile.ZipFile(buffer, "w") as infected:
        for entry in sample.infolist():
            infected.writestr(entry, sample.read(entry))
        infected.writestr("assets/readme.txt", EICAR)
    return buffer.getvalue()


def test_an_infected_package_is_refused_quarantined_and_the_owner_told(clamd, private_dir):
    owner = StaffUserFactory(email="owner@vendor.test")
    package = PackageFactory(uploaded_by=owner)
    versions_before = package.versions.count()

    uploader = StaffUserFactory(email="uploader@vendor.test")
    with pytest.raises(PackageRejected, match="infected \\(Eicar-Test-Signature\\): it was quarantined"):
        package_version_add(package=package, file=upload(infected_zip()), user=uploader)

    assert package.versions.count() == versions_before
    scan = FileScan.objects.get(status="infected")
    assert scan.quarantine_name.startswith("quarantine/elearning/refused/")
    assert [path for path in stored_files(private_dir) if "refused" in path] == [scan.quarantine_name]
    assert sorted(mail.outbox[0].to) == ["owner@vendor.test", "uploader@vendor.test"]


def test_a_new_infected_package_leaves_no_package(clamd):
    with pytest.raises(PackageRejected, match="infected"):
        package_upload(file=upload(infected_zip()), user=None)
    assert not Package.objects.exists()


def test_a_package_stored_while_the_scanner_is_down_opens_only_once_found_clean(client, settings, clamd_down):
    package = PackageFactory()
    version = package.current_version
    assert FileScan.objects.get(name=version.archive.name).status == "pending"
    learner = UserFactory()
    with pytest.raises(ValidationError, match="waiting for its virus scan"):
        launch_start(user=learner, package=package, context="x")

    server = FakeClamd()
    settings.CLAMAV_URL = server.url
    try:
        call_command("rescan_files", "--no-progress", stdout=StringIO(), stderr=StringIO())
    finally:
        server.stop()

    assert FileScan.objects.get(name=version.archive.name).status == "clean"
    _launch, token = launch_start(user=learner, package=package, context="x")
    client.force_login(learner)
    FileScan.objects.filter(name=version.archive.name).update(status="pending")  # a launch already open
    response = client.get(reverse("elearning:content", kwargs={"token": token, "path": "index.html"}))
    assert response.status_code == 409 and b"virus scan" in response.content


def test_the_package_page_shows_each_versions_scan_and_why_learners_cannot_launch(client, clamd_down):
    package = PackageFactory()
    pending = package.current_version
    client.force_login(StaffUserFactory())
    url = reverse(Package.snippet_viewset.get_url_name("inspect"), args=[package.pk])

    html = client.get(url).content.decode()

    assert "Virus scan" in html and "Pending" in html
    assert f"Learners cannot launch this package until version {pending.number} is found clean" in html
    assert "waiting for its virus scan" in html

    FileScan.objects.filter(name=pending.archive.name).update(status="clean")
    html = client.get(url).content.decode()
    assert "Learners cannot launch" not in html and "Clean" in html
