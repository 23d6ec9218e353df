"""Analytics: what partners and their users did, rolled up by day by the worker, and what the admin draws from it.

The worker reads the raw records the other apps keep (sign-ins, views, downloads, searches,
acknowledgements, enrolments, certificates) and writes one row per day and partner, user,
item or search term (``analytics.services.rollups``); every chart and report reads those rows only.
"""
