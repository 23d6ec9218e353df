"""Registers the test app's gated kind in the Wagtail admin, as any app adding a kind would."""

from wagtail.snippets.models import register_snippet

from .admin.viewsets import BriefingViewSet

register_snippet(BriefingViewSet)
