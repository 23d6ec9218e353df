"""The admin of cms's own content: its viewsets, webhooks, reports and dashboard panel.

``cms.wagtail_hooks`` registers them; the admin every kind of gated content shares is
``cms.gating.admin``.
"""
