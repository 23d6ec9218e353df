"""The gating machinery other apps build on: gated content, its lifecycle, filters, preview and admin."""
