"""The router of courses' partner API (``/api/v1/``): the routes of each use case, in one ``courses`` tag.

Operation ids are given explicitly in each module (``courses_api_<view>``): they are the ones
ninja derived from the single ``courses.api`` module before it was split, and clients keep them.
"""

from ninja import Router

from . import attempts, catalogue, lessons, packages

router = Router(tags=["courses"])
router.add_router("", catalogue.router)
router.add_router("", lessons.router)
router.add_router("", packages.router)
router.add_router("", attempts.router)
