"""The models of the cms app, one module per domain (Django finds them through this package).

``content`` (assets, versions, programs, bulletins, products, languages), ``hygiene``
(link checks of assets' external URLs), ``activity``
(feed visits, acknowledgements, content views, downloads, notices, owner reminders), ``preview``
(preview snapshots), ``previews`` (page previews, thumbnails, co-branded copies), ``scans`` (virus scans
of stored files), ``webhooks`` and ``file_text`` (the text of asset files, per version).
The gated content base is ``cms.gating.models``.
"""

from .activity import BulletinAcknowledgement, ContentView, Download, FeedVisit, OwnerReminder, VersionNotice
from .content import Asset, AssetVersion, Bulletin, Language, Product, Program, ProgramKeyDate
from .file_text import AssetTextUnit, AssetVersionText
from .hygiene import LinkCheck
from .preview import PreviewSnapshot
from .previews import CobrandedFile, PreviewImage, VersionPreview
from .scans import FileScan
from .webhooks import WebhookDelivery, WebhookEndpoint

__all__ = [
    "Asset",
    "AssetTextUnit",
    "AssetVersion",
    "AssetVersionText",
    "Bulletin",
    "BulletinAcknowledgement",
    "CobrandedFile",
    "ContentView",
    "Download",
    "FeedVisit",
    "FileScan",
    "Language",
    "LinkCheck",
    "OwnerReminder",
    "PreviewImage",
    "PreviewSnapshot",
    "Product",
    "Program",
    "ProgramKeyDate",
    "VersionNotice",
    "VersionPreview",
    "WebhookDelivery",
    "WebhookEndpoint",
]
