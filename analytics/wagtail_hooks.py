"""Registers analytics with Wagtail's admin: the engagement dashboard, partner scorecards and content performance.

``wagtail_hooks.py`` only registers; the views live in ``analytics.admin``.
"""

from wagtail import hooks  # noqa: F401

# --- engagement dashboard (analytics.admin.engagement) ------------------------------------------------


# --- partner scorecards (analytics.admin.scorecards) ---------------------------------------------------


# --- content performance (analytics.admin.content) -----------------------------------------------------
