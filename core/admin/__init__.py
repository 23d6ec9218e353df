"""Admin building blocks the apps share (Wagtail viewsets)."""
