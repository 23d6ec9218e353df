"""The learner's transcript (``certifications.transcript``) as an A4 portrait PDF (fpdf2): one table per kind.

The vendor's logo, name and colour come from ``core.branding``, the font (DejaVu Sans) and the logo's
placement from ``certifications.pdf``. Tables break across pages and repeat their headings; every page
carries the learner's name, the date it was made and its page number.
"""

from django.utils.translation import gettext as _

from fpdf import FPDF
from fpdf.fonts import FontFace

from core.branding import Branding, branding

from .pdf import FONT, add_fonts, draw_logo, printable
from .transcript import Transcript, duration, package_results_text, score_text, when, yes_no

INK = (23, 32, 51)
MUTED = (80, 90, 110)
MARGIN = 12
WIDTH = 210 - 2 * MARGIN


class TranscriptPDF(FPDF):
    footer_text = ""

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(*MUTED)
        self.cell(WIDTH / 2, 5, printable(self.footer_text))
        self.cell(WIDTH / 2, 5, printable(_("Page %(page)s") % {"page": self.page_no()}), align="R")


def _heading(pdf: FPDF, text: str, colour) -> None:
    pdf.ln(4)
    pdf.set_font(FONT, "B", 12)
    pdf.set_text_color(*colour)
    pdf.cell(WIDTH, 8, printable(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)


def _table(pdf: FPDF, headings: list[str], rows: list[list], widths: tuple, colour) -> None:
    """A table of ``rows`` under ``headings``, or a line saying there is nothing yet."""
    if not rows:
        pdf.set_font(FONT, "I", 9)
        pdf.set_text_color(*MUTED)
        pdf.cell(WIDTH, 6, printable(_("None yet.")), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(*INK)
        return
    pdf.set_font(FONT, "", 8)
    style = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=colour)
    with pdf.table(
        col_widths=widths, width=WIDTH, headings_style=style, line_height=4.2, text_align="LEFT", padding=1
    ) as table:
        for cells in [headings, *rows]:
            row = table.row()
            for cell in cells:
                row.cell(printable("" if cell is None else str(cell)))


def _header(pdf: FPDF, transcript: Transcript, brand: Branding, colour) -> None:
    if not draw_logo(pdf, brand, x=MARGIN, y=MARGIN, w=45, h=14):
        pdf.set_font(FONT, "B", 13)
        pdf.set_text_color(*colour)
        pdf.set_xy(MARGIN, MARGIN)
        pdf.cell(WIDTH / 2, 14, printable(brand.name))
    pdf.set_xy(MARGIN + WIDTH / 2, MARGIN)
    pdf.set_font(FONT, "B", 18)
    pdf.set_text_color(*colour)
    pdf.cell(WIDTH / 2, 14, printable(_("Learning transcript")), align="R")
    pdf.set_draw_color(*colour)
    pdf.set_line_width(0.6)
    pdf.line(MARGIN, MARGIN + 17, MARGIN + WIDTH, MARGIN + 17)
    pdf.set_xy(MARGIN, MARGIN + 20)
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, "B", 14)
    pdf.cell(WIDTH, 8, printable(transcript.name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    pdf.set_text_color(*MUTED)
    made = _("Made on %(date)s") % {"date": when(transcript.generated_at)}
    facts = [transcript.email, transcript.partner or "", made]
    pdf.cell(WIDTH, 5, printable(" · ".join(fact for fact in facts if fact)), new_x="LMARGIN", new_y="NEXT")


def _courses(transcript: Transcript) -> list[list]:
    return [
        [
            course.course,
            course.round,
            when(course.enrolled_at),
            when(course.completed_at) or _("In progress"),
            f"{course.lessons_done} / {course.lessons_total}",
            package_results_text(course),
        ]
        for course in transcript.courses
    ]


def _quizzes(transcript: Transcript) -> list[list]:
    return [
        [
            quiz.quiz,
            quiz.where,
            quiz.number,
            score_text(quiz.score),
            yes_no(quiz.passed),
            when(quiz.submitted_at) or quiz.status,
        ]
        for quiz in transcript.quizzes
    ]


def _packages(transcript: Transcript) -> list[list]:
    return [
        [
            f"{package.package} (v{package.version})",
            package.where,
            package.number,
            package.completion,
            package.success,
            score_text(package.score),
            duration(package.seconds),
            when(package.started_at),
            when(package.completed_at),
        ]
        for package in transcript.packages
    ]


def _certificates(transcript: Transcript) -> list[list]:
    return [
        [
            certificate.certification,
            when(certificate.issued_at),
            when(certificate.expires_at),
            certificate.status,
            certificate.earned_by,
            certificate.verification_url,
        ]
        for certificate in transcript.certificates
    ]


def transcript_pdf(transcript: Transcript, *, brand: Branding | None = None) -> bytes:
    """The transcript as PDF bytes; ``brand`` defaults to the registered branding (``core.branding``)."""
    brand = brand or branding()
    colour = brand.colour_rgb
    pdf = TranscriptPDF(orientation="P", unit="mm", format="A4")
    pdf.set_title(printable(_("Learning transcript: %(name)s") % {"name": transcript.name}))
    pdf.set_author(printable(brand.name))
    pdf.set_creator(printable(brand.name))
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=16)
    add_fonts(pdf)
    pdf.footer_text = f"{transcript.name} · {when(transcript.generated_at)}"
    pdf.add_page()
    _header(pdf, transcript, brand, colour)

    _heading(pdf, _("Courses"), colour)
    headings = [_("Course"), _("Round"), _("Enrolled"), _("Completed"), _("Lessons"), _("Learning packages")]
    _table(pdf, headings, _courses(transcript), (44, 18, 24, 24, 18, 58), colour)

    _heading(pdf, _("Quizzes and exams"), colour)
    headings = [_("Quiz"), _("Where"), _("Attempt"), _("Score (%)"), _("Passed"), _("Submitted")]
    _table(pdf, headings, _quizzes(transcript), (40, 58, 18, 16, 18, 36), colour)

    _heading(pdf, _("Learning packages"), colour)
    headings = [
        _("Package"),
        _("Where"),
        _("Attempt"),
        _("Completion"),
        _("Success"),
        _("Score (%)"),
        _("Time"),
        _("Started"),
        _("Completed"),
    ]
    _table(pdf, headings, _packages(transcript), (30, 26, 18, 22, 18, 14, 14, 22, 22), colour)

    _heading(pdf, _("Certificates"), colour)
    headings = [_("Certification"), _("Issued"), _("Expires"), _("Status"), _("Earned by"), _("Verify at")]
    _table(pdf, headings, _certificates(transcript), (40, 22, 22, 20, 26, 56), colour)
    return bytes(pdf.output())
