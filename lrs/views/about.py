"""``/xapi/about`` (Communication §2.8): the versions this LRS speaks; no credentials, no version header needed."""

from django.http import JsonResponse

from ..conf import XAPI_VERSION
from .base import check_params, xapi_view


def _about(xrequest, credential):
    check_params(xrequest, set())
    return JsonResponse({"version": [XAPI_VERSION]})


about = xapi_view({"GET": _about}, public=True)
