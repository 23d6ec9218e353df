"""Test data of elearning: real packages made through the upload service from the sample generators."""

from django.core.files.base import ContentFile

import factory

from . import samples
from .models import Package
from .services import package_upload, package_version_add

SAMPLES = {
    Package.Standard.SCORM12: samples.scorm12_sco_zip,
    Package.Standard.SCORM2004: samples.scorm2004_multi_sco_zip,
    Package.Standard.CMI5: samples.cmi5_au_zip,
}


def package_zip(standard: str = Package.Standard.SCORM12, **options) -> ContentFile:
    """A sample package of ``standard`` as an uploadable file."""
    return ContentFile(SAMPLES[standard](**options), name=f"{standard}.zip")


class PackageFactory(factory.django.DjangoModelFactory):
    """A package uploaded through ``package_upload`` (files extracted into the private storage).

    ``PackageFactory(standard="scorm2004", title="…", key="…", uploaded_by=user, sample={"scos": 2})``.
    """

    class Meta:
        model = Package

    standard = Package.Standard.SCORM12
    title = factory.Sequence(lambda n: f"Package {n}")
    key = None
    uploaded_by = None
    sample = factory.Dict({})

    @classmethod
    def _create(cls, model_class, *, standard, title, key, uploaded_by, sample, **kwargs):
        return package_upload(file=package_zip(standard, **sample), title=title, key=key, user=uploaded_by, **kwargs)


def add_version(package, *, user=None, notes: str = "", make_current: bool = True, **sample):
    """Upload a new version of ``package`` from the sample of its standard."""
    return package_version_add(
        package=package,
        file=package_zip(package.standard, **sample),
        user=user,
        notes=notes,
        make_current=make_current,
    )
