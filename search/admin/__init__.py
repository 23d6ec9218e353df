"""The admin of search: the synonym list under Settings, and the search reports.

``search.wagtail_hooks`` registers them.
"""
