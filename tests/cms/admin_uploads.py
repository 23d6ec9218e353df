"""Uploading an asset through the admin's add view, as the upload tests do."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse


def add_asset(client, name, content, asset_type):
    return client.post(
        reverse("wagtailsnippets_cms_asset:add"),
        {"title": "Upload", "asset_type": asset_type, "file": SimpleUploadedFile(name, content)},
    )
