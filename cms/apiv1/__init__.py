"""The partner API (``/api/v1/``): the NinjaAPI instance and the helpers every router shares.

* ``auth``: bearer tokens (hashed) and the Django session, both refusing
  inactive users and members of inactive partners;
* ``errors``: every error as ``{"detail": "..."}`` with the right status.

Routers live in each app's ``api.py``; each app registers its own from its
``AppConfig.ready()`` (``core.api.register_api_router``) and ``cms.apiv1.root`` mounts
them. Pagination shared by every list is ``core.api.PageNumberPagination``.
"""
