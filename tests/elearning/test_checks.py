"""The system checks of elearning: package limits must be positive and consistent."""

from elearning.checks import check_package_limits


def test_the_default_limits_pass():
    assert check_package_limits(None) == []


def test_a_limit_that_is_not_positive_fails(settings):
    settings.PARTNERHUB_PACKAGE_MAX_FILES = 0
    assert [error.id for error in check_package_limits(None)] == ["elearning.E001"]


def test_the_uncompressed_limit_below_the_zip_limit_fails(settings):
    settings.PARTNERHUB_PACKAGE_MAX_BYTES = 10_000
    settings.PARTNERHUB_PACKAGE_MAX_UNCOMPRESSED_BYTES = 5_000
    assert [error.id for error in check_package_limits(None)] == ["elearning.E002"]
