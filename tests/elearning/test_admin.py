"""The package admin (Learning → Learning packages): upload, inspect, versions, with permissions."""

import re

from django.contrib.auth.models import Group, Permission
from django.urls import reverse

import pytest

from elearning import samples
from elearning.factories import PackageFactory, add_version
from elearning.factories_runtime import launched
from elearning.models import Package, PackageVersion
from partners.factories import StaffUserFactory, partner_user

from .conftest import stored_files, upload

pytestmark = pytest.mark.django_db

ADD = "wagtailsnippets_elearning_package:add"
LIST = "wagtailsnippets_elearning_package:list"
INSPECT = "wagtailsnippets_elearning_package:inspect"
UPLOAD_VERSION = "wagtailsnippets_elearning_package:upload_version"
MAKE_CURRENT = "wagtailsnippets_elearning_package:make_current"
DELETE_VERSION = "wagtailsnippets_elearning_package:delete_version"
DELETE = "wagtailsnippets_elearning_package:delete"


def zip_file(data: bytes):
    return upload(data, name="package.zip")


def test_the_upload_form_creates_the_package_and_shows_its_structure(admin_client, admin_user):
    response = admin_client.post(
        reverse(ADD),
        {
            "package_file": zip_file(samples.scorm2004_multi_sco_zip()),
            "title": "",
            "key": "selling",
            "description": "",
        },
    )
    package = Package.objects.get()
    assert response.status_code == 302
    assert response.url == reverse(INSPECT, args=[package.pk])
    assert (package.title, package.key, package.created_by) == ("Selling with partners", "selling", admin_user)
    page = admin_client.get(response.url).content.decode()
    for text in (
        "2004 4th Edition",
        "Know your partner program",
        "sco-2/index.html",
        "80%",
        "Choice: yes",
        "Flow: yes",
    ):
        assert text in page
    assert "Upload new version" in page


def test_a_refused_upload_shows_the_reason_on_the_form_and_stores_nothing(admin_client, private_dir):
    response = admin_client.post(
        reverse(ADD),
        {"package_file": zip_file(samples.traversal_zip()), "title": "Evil", "key": "", "description": ""},
    )
    assert response.status_code == 200
    assert "points outside it" in response.content.decode()
    assert Package.objects.count() == 0
    assert stored_files(private_dir) == []


def test_the_listing_counts_versions_in_a_fixed_number_of_queries(admin_client, django_assert_max_num_queries):
    for _ in range(3):
        add_version(PackageFactory())
    with django_assert_max_num_queries(30):
        response = admin_client.get(reverse(LIST))
    assert response.status_code == 200
    PackageFactory.create_batch(4)
    with django_assert_max_num_queries(30) as more:
        admin_client.get(reverse(LIST))
    with django_assert_max_num_queries(len(more.captured_queries)):
        admin_client.get(reverse(LIST))


def test_the_inspect_view_does_not_grow_with_versions(admin_client, django_assert_max_num_queries):
    package = PackageFactory(standard="cmi5")
    add_version(package)
    with django_assert_max_num_queries(40) as few:
        admin_client.get(reverse(INSPECT, args=[package.pk]))
    for _ in range(4):
        add_version(package)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = admin_client.get(reverse(INSPECT, args=[package.pk])).content.decode()
    assert "v6" in page and "CompletedAndPassed" in page


def test_the_inspect_view_shows_an_empty_field_as_a_dash_never_none(admin_client):
    package = PackageFactory(key=None, uploaded_by=None)  # no key, no uploader, no description
    page = admin_client.get(reverse(INSPECT, args=[package.pk])).content.decode()
    fields = page[page.index("<dl>") : page.index("</dl>")]  # the package's own fields, before its structure
    values = dict(
        zip(
            [" ".join(dt.split()) for dt in re.findall(r"<dt>(.*?)</dt>", fields, re.S)],
            [" ".join(dd.split()) for dd in re.findall(r"<dd>(.*?)</dd>", fields, re.S)],
            strict=True,
        )
    )
    assert values["Title"] == package.title
    assert values["Key"] == values["Description"] == values["Created by"] == "—"
    assert "None" not in fields


def test_upload_a_new_version_and_keep_the_current_one(admin_client):
    package = PackageFactory()
    response = admin_client.post(
        reverse(UPLOAD_VERSION, args=[package.pk]),
        {"package_file": zip_file(samples.scorm12_sco_zip(mastery_score=90)), "notes": "Harder", "move_learners": ""},
    )
    assert response.status_code == 302
    package.refresh_from_db()
    assert package.current_version.number == 1
    assert package.versions.get(number=2).notes == "Harder"


def test_a_new_version_of_another_standard_is_refused_on_the_form(admin_client):
    package = PackageFactory()
    response = admin_client.post(
        reverse(UPLOAD_VERSION, args=[package.pk]),
        {"package_file": zip_file(samples.cmi5_au_zip()), "make_current": "on"},
    )
    assert response.status_code == 200
    assert "the upload is cmi5" in response.content.decode()
    assert package.versions.count() == 1


def test_make_current_and_delete_a_version(admin_client, private_dir, django_capture_on_commit_callbacks):
    package = PackageFactory()
    first = package.current_version
    second = add_version(package)
    response = admin_client.post(reverse(MAKE_CURRENT, args=[package.pk, first.pk]), {"move_learners": "on"})
    assert response.status_code == 302
    package.refresh_from_db()
    assert package.current_version == first
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse(DELETE_VERSION, args=[package.pk, second.pk]))
    assert response.status_code == 302
    assert not PackageVersion.objects.filter(pk=second.pk).exists()
    assert not any(name.startswith(second.content_prefix) for name in stored_files(private_dir))
    refused = admin_client.post(reverse(DELETE_VERSION, args=[package.pk, first.pk]))
    assert "current one" in refused.content.decode()


def test_a_version_of_another_package_is_not_found(admin_client):
    one, other = PackageFactory(), PackageFactory()
    url = reverse(MAKE_CURRENT, args=[one.pk, other.current_version.pk])
    assert admin_client.get(url).status_code == 404


def test_version_actions_need_the_change_and_delete_permissions(client):
    package = PackageFactory()
    old = package.current_version
    add_version(package)
    editor = StaffUserFactory(username="viewer", is_superuser=False)
    editor.groups.add(group := Group.objects.create(name="Learning viewers"))
    group.permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_package")
    )
    client.force_login(editor)
    page = client.get(reverse(INSPECT, args=[package.pk])).content.decode()
    assert "Upload new version" not in page and "Make current" not in page
    assert client.post(reverse(MAKE_CURRENT, args=[package.pk, old.pk])).status_code == 302
    package.refresh_from_db()
    assert package.current_version.number == 2
    assert client.get(reverse(ADD)).status_code == 302  # no add permission: back to the dashboard
    group.permissions.add(Permission.objects.get(codename="change_package"))
    assert client.post(reverse(MAKE_CURRENT, args=[package.pk, old.pk])).status_code == 302
    package.refresh_from_db()
    assert package.current_version == old
    assert (
        client.post(reverse(DELETE_VERSION, args=[package.pk, package.versions.get(number=2).pk])).status_code == 302
    )
    assert package.versions.count() == 2  # no delete permission


def test_deleting_a_package_learners_attempted_is_refused_with_the_reason(admin_client):
    package = PackageFactory(title="Security basics")
    launched(partner_user(), package)
    response = admin_client.post(reverse(DELETE, args=[package.pk]), follow=True)
    assert response.status_code == 200
    assert "Learners have 1 attempt at this package" in response.content.decode()
    assert Package.objects.filter(pk=package.pk).exists() and PackageVersion.objects.filter(package=package).exists()


def test_deleting_an_unused_package_removes_it_and_its_files(
    admin_client, private_dir, django_capture_on_commit_callbacks
):
    package = PackageFactory()
    prefix = package.current_version.content_prefix
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse(DELETE, args=[package.pk]))
    assert response.status_code == 302
    assert not Package.objects.filter(pk=package.pk).exists()
    assert not any(name.startswith(prefix) for name in stored_files(private_dir))
