"""Signal receivers of cms: keep asset versions in step with Wagtail's publishing."""

from wagtail.signals import published


def record_asset_version_on_publish(sender, instance, revision=None, **kwargs):
    from .services import asset_record_versions

    asset_record_versions(assets=[instance], user=getattr(revision, "user", None))


def connect():
    from .models import Asset

    published.connect(record_asset_version_on_publish, sender=Asset, dispatch_uid="cms-asset-version-on-publish")
