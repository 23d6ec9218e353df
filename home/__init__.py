"""The portal home page (a Wagtail page) and, later, the partner home feed."""
