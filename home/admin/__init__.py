"""Admin of the portal: the links hub (Wagtail snippets viewset)."""
