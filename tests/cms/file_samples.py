"""Files of each format the text extraction reads, built in the test with the libraries (no binary fixtures)."""

import io


def pdf_bytes(pages: list[str]) -> bytes:
    """A PDF with one page per string (fpdf2)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def pptx_bytes(slides: list[str], notes: dict[int, str] | None = None, table: tuple[int, str] | None = None) -> bytes:
    """A deck with one slide per string (a title and a text box), optional speaker notes by 1-based slide number,
    and optionally a table with one cell of text on one slide."""
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    for number, text in enumerate(slides, start=1):
        slide = deck.slides.add_slide(deck.slide_layouts[5])  # title only
        slide.shapes.title.text = f"Slide {number}"
        box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(6), Inches(2))
        box.text_frame.text = text
        if table and table[0] == number:
            shape = slide.shapes.add_table(1, 2, Inches(1), Inches(4), Inches(4), Inches(1))
            shape.table.cell(0, 1).text = table[1]
        if notes and number in notes:
            slide.notes_slide.notes_text_frame.text = notes[number]
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def docx_bytes(pages: list[str], table_text: str = "") -> bytes:
    """A Word document with hard page breaks between the strings, and optionally a table cell on the last page."""
    import docx

    document = docx.Document()
    for index, text in enumerate(pages):
        if index:
            document.add_page_break()
        document.add_paragraph(text)
    if table_text:
        document.add_table(rows=1, cols=1).cell(0, 0).text = table_text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    """A workbook with these sheets (name -> rows of cell values)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return out.getvalue()
