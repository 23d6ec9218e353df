"""The admin of certifications: the "Certifications" menu group's viewsets and the certification reports.

``certifications.wagtail_hooks`` registers them.
"""
