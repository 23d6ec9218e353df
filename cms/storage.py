"""Private file storage for gated content.

Files of gated items never get a guessable or permanent URL: locally they live in
``PRIVATE_MEDIA_ROOT`` (outside ``MEDIA_ROOT``, never served by any URL pattern)
and in production under the ``private/`` prefix of a private S3 bucket, reachable
only through short-lived signed URLs made by the gated download endpoint.
"""

from django.core.files.storage import FileSystemStorage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    """Local private files: there is no URL for them, only the gated download endpoint."""

    def url(self, name):
        raise NotImplementedError("Private files have no URL; serve them through the gated download endpoint.")


def private_storage():
    """The ``private`` storage alias (a callable, so tests and settings can swap it)."""
    return storages["private"]
