"""The test app's admin: its gated kind's viewset (registered by ``tests/testapp/wagtail_hooks.py``)."""
