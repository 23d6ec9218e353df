"""Charts of the analytics screens: what one chart shows, as data a template and a CSV export both read.

A ``Chart`` is rendered by ``{% include "analytics/includes/chart.html" with chart=chart %}``: a
figure with a canvas that the vendored Chart.js draws (``analytics/static/analytics/charts.js``),
the same figures as a table (for screen readers, and for anyone who wants the numbers), and a
link to the chart's CSV (the page's URL with ``?csv=<chart id>``; the page answers it with
``chart_csv_response``). Colours come from one palette safe for colour-blind readers (``PALETTE``).
"""

import csv
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify

#: From Okabe and Ito's palette, told apart with any common colour-vision deficiency, keeping the colours with
#: at least 3:1 against white (WCAG 1.4.11); lines also differ by dash pattern (``charts.js``).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000", "#8B5A00")


@dataclass
class Series:
    name: str
    values: list


@dataclass
class Chart:
    """One chart: ``kind`` is "line" or "bar"; ``labels`` along the x axis (days, weeks, names)."""

    id: str
    title: str
    labels: list
    series: list[Series]
    kind: str = "line"
    unit: str = ""
    description: str = ""
    stacked: bool = False
    extra: dict = field(default_factory=dict)

    def rows(self) -> list[list]:
        """The table's rows: a label and each series' value."""
        return [[label, *(series.values[index] for series in self.series)] for index, label in enumerate(self.labels)]

    def header(self) -> list[str]:
        return [self.extra.get("label_heading", "Day"), *(series.name for series in self.series)]

    def config(self) -> dict:
        """What ``charts.js`` hands to Chart.js (through ``json_script``)."""
        return {
            "type": self.kind,
            "labels": [str(label) for label in self.labels],
            "unit": self.unit,
            "stacked": self.stacked,
            "datasets": [
                {"label": series.name, "data": list(series.values), "color": PALETTE[index % len(PALETTE)]}
                for index, series in enumerate(self.series)
            ],
        }


def chart_csv_response(chart: Chart, *, prefix: str = "partner-hub") -> HttpResponse:
    """The chart's figures as a CSV download named after the chart and today's date."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"{prefix}-{slugify(chart.title)}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(chart.header())
    for row in chart.rows():
        writer.writerow(["" if value is None else value for value in row])
    return response
