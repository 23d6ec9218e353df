"""Programs (``/programs/``, ``/programs/<id>/``): the partner programs and incentives the user may see.

Reads go through ``cms.selectors.programs_for_partner``, the API's own (the audience rule, live only); a program
the user may not see is 404 (one locked by a certification: 403 saying what unlocks it). Related assets are only
those the user may see, linked to their library page. Each detail read is recorded as a content view
(``cms.services.activity.record_content_view``).
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.template.response import TemplateResponse

from cms.gating.locking import raise_if_locked
from cms.models import Program
from cms.rich_text import rich_text_html
from cms.selectors import programs_for_partner
from cms.services.activity import record_content_view

from ..access import portal_page

PROGRAMS_PER_PAGE = 20


@portal_page
def program_list(request):
    page = Paginator(programs_for_partner(user=request.user), PROGRAMS_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(request, "home/programs/list.html", {"page_obj": page, "programs": page.object_list})


@portal_page
def program_detail(request, program_id: int):
    program = programs_for_partner(user=request.user).filter(pk=program_id).first()
    if program is None:
        raise_if_locked(Program, user=request.user, pk=program_id)
        raise Http404
    record_content_view(user=request.user, item=program)
    return TemplateResponse(
        request,
        "home/programs/detail.html",
        {
            "program": program,
            # Stored rich text is whitelisted when written (Wagtail's editor, the importer's clean_rich_text);
            # rendered as the API serves it, and the strict CSP would block any script besides.
            "body": rich_text_html(program.body),
            "eligibility": rich_text_html(program.eligibility),
        },
    )
