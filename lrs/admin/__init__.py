"""The LRS in the Wagtail admin: statements (read-only, filterable, inspectable) and staff clients' credentials."""
