"""Fixtures of the portal's tests: real learning packages in a private storage of their own (package lessons)."""

from tests.courses.package_helpers import private_storage, scorm12  # noqa: F401 - fixtures
