"""The models of the cms app, one module per domain (Django finds them through this package).

``content`` (assets, versions, programs, bulletins, products, languages), ``activity``
(feed visits, acknowledgements, downloads, notices, owner reminders), ``preview``
(preview snapshots), ``scans`` (virus scans of stored files) and ``webhooks``.
The gated content base is ``cms.gating.models``.
"""

from .activity import BulletinAcknowledgement, Download, FeedVisit, OwnerReminder, VersionNotice
from .content import Asset, AssetVersion, Bulletin, Language, Product, Program, ProgramKeyDate
from .preview import PreviewSnapshot
from .scans import FileScan
from .webhooks import WebhookDelivery, WebhookEndpoint

__all__ = [
    "Asset",
    "AssetVersion",
    "Bulletin",
    "BulletinAcknowledgement",
    "Download",
    "FeedVisit",
    "FileScan",
    "Language",
    "OwnerReminder",
    "PreviewSnapshot",
    "Product",
    "Program",
    "ProgramKeyDate",
    "VersionNotice",
    "WebhookDelivery",
    "WebhookEndpoint",
]
