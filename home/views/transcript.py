"""My learning transcript as a PDF or CSV (``/certifications/transcript/pdf/``, ``…/csv/``): the API's own response
(``certifications.api.transcript_response``), always of the signed-in learner; an unknown format is 404."""

from django.http import Http404
from django.views.decorators.http import require_GET

from certifications.api import TRANSCRIPT_FORMATS, transcript_response

from ..access import portal_page


@require_GET
@portal_page
def my_transcript(request, file_format: str):
    if file_format not in TRANSCRIPT_FORMATS:
        raise Http404
    return transcript_response(request, user=request.user, file_format=file_format)
