"""Readers of file text, one per format: bytes in, a list of ``Unit`` (page, slide or sheet) out.

Pure functions of the bytes (no database, no storage) with limits: a ``Limits`` deadline
checked between units (and every few hundred rows of a sheet), a maximum number of
units and of characters (what is beyond is cut, and ``Reading.truncated`` says so).

* PDF (and ``.ai`` saved PDF-compatible): pypdfium2, one unit per page.
* PowerPoint ``.pptx``: python-pptx, one unit per slide: every shape's text (groups and
  tables included) and the slide's speaker notes.
* Word ``.docx``: python-docx, one unit per page as Word last laid it out (the
  ``lastRenderedPageBreak`` marks Word saves), or, in a file never laid out by Word, per
  hard page break; tables and text boxes included, headers and footers not.
* Excel ``.xlsx``: openpyxl (read-only, cached values), one unit per sheet, named after it;
  ``.csv``: one sheet.
* Plain text ``.txt``: one page, or one per form feed. HTML: beautifulsoup4, one page.

Anything else (images, videos, archives, legacy binary Office files) has no reader:
``reader_for`` answers ``None``. A file a reader cannot parse raises ``Unreadable``.
"""

import codecs
import csv
import io
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

PAGE, SLIDE, SHEET = "page", "slide", "sheet"


class Unreadable(Exception):
    """The file cannot be read as what its extension says (corrupt, encrypted…); the message says why."""


class TookTooLong(Exception):
    """Reading went past its deadline."""


@dataclass(frozen=True)
class Unit:
    number: int  # 1-based: page 7, slide 3, sheet 2
    kind: str  # PAGE, SLIDE or SHEET
    text: str
    name: str = ""  # a sheet's name


@dataclass
class Limits:
    seconds: float = 60.0
    max_units: int = 2000
    max_chars: int = 1_000_000
    started: float = field(default_factory=time.monotonic)

    def check_time(self) -> None:
        if time.monotonic() - self.started > self.seconds:
            raise TookTooLong(f"Reading took longer than {self.seconds:g} s.")


@dataclass
class Reading:
    units: list[Unit] = field(default_factory=list)
    truncated: bool = False
    chars: int = 0

    def add(self, limits: Limits, number: int, kind: str, text: str, name: str = "") -> bool:
        """Keep one unit (blank ones only count); answers whether reading should go on."""
        limits.check_time()
        text = _tidy(text)
        if number > limits.max_units:
            self.truncated = True
            return False
        room = limits.max_chars - self.chars
        if len(text) > room:
            text, self.truncated = text[:room], True
        if text:
            self.units.append(Unit(number=number, kind=kind, text=text, name=name[:255]))
            self.chars += len(text)
        return self.chars < limits.max_chars


_BLANKS = re.compile(r"[ \t\r\f\v\u00a0]+")
_MANY_LINES = re.compile(r"\n\s*\n\s*\n+")


def _tidy(text: str) -> str:
    text = text.replace("\x00", "")
    text = _BLANKS.sub(" ", text)
    return _MANY_LINES.sub("\n\n", "\n".join(line.strip() for line in text.split("\n"))).strip()


# PDF -----------------------------------------------------------------------------------------------


def read_pdf(data: bytes, limits: Limits) -> Reading:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise Unreadable(f"Not a readable PDF ({error}).") from error
    reading = Reading()
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_bounded()
                finally:
                    textpage.close()
            finally:
                page.close()
            if not reading.add(limits, index + 1, PAGE, text):
                break
    except pdfium.PdfiumError as error:
        raise Unreadable(f"A page of the PDF cannot be read ({error}).") from error
    finally:
        pdf.close()
    return reading


# PowerPoint ----------------------------------------------------------------------------------------


def _shape_texts(shapes):
    for shape in shapes:
        if getattr(shape, "shapes", None) is not None and shape.shape_type == 6:  # a group: its own shapes
            yield from _shape_texts(shape.shapes)
        elif getattr(shape, "has_table", False) and shape.has_table:
            for row in shape.table.rows:
                yield " ".join(cell.text for cell in row.cells)
        elif getattr(shape, "has_text_frame", False) and shape.has_text_frame:
            yield shape.text_frame.text


def read_pptx(data: bytes, limits: Limits) -> Reading:
    from pptx import Presentation

    try:
        deck = Presentation(io.BytesIO(data))
    except Exception as error:  # python-pptx raises zip, XML and KeyError alike for a broken package
        raise Unreadable(f"Not a readable PowerPoint file ({type(error).__name__}).") from error
    reading = Reading()
    for number, slide in enumerate(deck.slides, start=1):
        parts = list(_shape_texts(slide.shapes))
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
            parts.append(slide.notes_slide.notes_text_frame.text)
        if not reading.add(limits, number, SLIDE, "\n".join(parts)):
            break
    return reading


# Word ----------------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(data: bytes, limits: Limits) -> Reading:
    import docx
    from lxml import etree

    try:
        body = docx.Document(io.BytesIO(data)).element.body
    except Exception as error:  # zip, XML and KeyError alike for a broken package
        raise Unreadable(f"Not a readable Word file ({type(error).__name__}).") from error
    rendered = next(body.iter(f"{_W}lastRenderedPageBreak"), None) is not None
    pages: list[list[str]] = [[]]
    for event, element in etree.iterwalk(body, events=("start", "end")):
        tag = element.tag
        if event == "end":
            if tag == f"{_W}p":
                pages[-1].append("\n")
            elif tag == f"{_W}tc":
                pages[-1].append(" ")
            continue
        if tag == f"{_W}t":
            pages[-1].append(element.text or "")
        elif tag == f"{_W}tab":
            pages[-1].append(" ")
        elif (rendered and tag == f"{_W}lastRenderedPageBreak") or (
            not rendered and tag == f"{_W}br" and element.get(f"{_W}type") == "page"
        ):
            pages.append([])
    reading = Reading()
    for number, parts in enumerate(pages, start=1):
        if not reading.add(limits, number, PAGE, "".join(parts)):
            break
    return reading


# Spreadsheets --------------------------------------------------------------------------------------


def _sheet_text(rows, limits: Limits) -> str:
    lines, size = [], 0
    for index, row in enumerate(rows):
        if index % 500 == 0:
            limits.check_time()
        line = " ".join(str(value) for value in row if value not in (None, ""))
        if line:
            lines.append(line)
            size += len(line) + 1
            if size > limits.max_chars:  # Reading.add cuts it to what is left
                break
    return "\n".join(lines)


def read_xlsx(data: bytes, limits: Limits) -> Reading:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # zip, XML and KeyError alike for a broken package
        raise Unreadable(f"Not a readable Excel file ({type(error).__name__}).") from error
    reading = Reading()
    try:
        for number, sheet in enumerate(workbook.worksheets, start=1):
            text = _sheet_text(sheet.iter_rows(values_only=True), limits)
            if not reading.add(limits, number, SHEET, text, sheet.title):
                break
    finally:
        workbook.close()
    return reading


_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_text(data: bytes) -> str:
    """Text of a file: UTF-8 or UTF-16 with a byte order mark, UTF-8, or else Windows-1252."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_csv(data: bytes, limits: Limits) -> Reading:
    text = decode_text(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reading = Reading()
    reading.add(limits, 1, SHEET, _sheet_text(csv.reader(io.StringIO(text), dialect), limits))
    return reading


# Text and HTML -------------------------------------------------------------------------------------


def read_text(data: bytes, limits: Limits) -> Reading:
    reading = Reading()
    for number, page in enumerate(decode_text(data).split("\f"), start=1):
        if not reading.add(limits, number, PAGE, page):
            break
    return reading


def read_html(data: bytes, limits: Limits) -> Reading:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode_text(data), "html.parser")
    for element in soup(["script", "style", "noscript", "template"]):
        element.decompose()
    reading = Reading()
    reading.add(limits, 1, PAGE, soup.get_text(" "))
    return reading


READERS: dict[str, Callable[[bytes, Limits], Reading]] = {
    "pdf": read_pdf,
    "ai": read_pdf,
    "pptx": read_pptx,
    "docx": read_docx,
    "xlsx": read_xlsx,
    "csv": read_csv,
    "txt": read_text,
    "html": read_html,
    "htm": read_html,
}


def reader_for(extension: str) -> Callable[[bytes, Limits], Reading] | None:
    """The reader of files with this extension (lower case, no dot), or ``None`` for a format without text."""
    return READERS.get(extension)


def read_units(extension: str, data: bytes, limits: Limits) -> Reading:
    """The text of ``data`` per unit. Raises ``Unreadable`` or ``TookTooLong``; ``KeyError`` for no reader."""
    return READERS[extension](data, limits)
