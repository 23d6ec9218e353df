"""The portal's pages (thin: they read through the apps' selectors and write through their services)."""
