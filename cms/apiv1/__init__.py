"""The partner API (``/api/v1/``): the NinjaAPI instance and the helpers every router shares.

* ``auth``: bearer tokens (hashed) and the Django session, both refusing
  inactive users and members of inactive partners;
* ``errors``: every error as ``{"detail": "..."}`` with the right status;
* ``pagination``: ``?page=&page_size=`` answering ``{"count", "next", "previous", "results"}``.

Routers live in each app's ``api.py`` and are mounted in ``cms.apiv1.root``.
"""
