"""Writes of the content library, one module per use case (HackSoft services: keyword-only, validated).

``versions`` (asset file versions), ``taxonomy`` (products, languages, locales),
``translation`` (new language variants), ``importing`` (one manifest entry),
``reminders`` (owners' freshness reminders, partners' version digests) and ``activity``
(feed visits, acknowledgements, content views, downloads). The lifecycle of every gated kind
(archive, restore, the sweep) is ``cms.gating.lifecycle``.
"""
