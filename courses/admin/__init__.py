"""The admin of courses: the "Learning" menu group's viewsets and the learning reports.

``courses.wagtail_hooks`` registers them.
"""
