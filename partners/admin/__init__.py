"""The partners admin: viewsets of the partner directory (registered by ``partners/wagtail_hooks.py``)."""
