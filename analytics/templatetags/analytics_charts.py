"""Template helpers of ``analytics/includes/chart.html``: a chart's CSV link, its spoken summary, its labels."""

from datetime import date

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag(takes_context=True)
def chart_csv_url(context, chart, base=""):
    """The chart's CSV link: ``base``, else this page with its query, and ``csv=<chart id>``."""
    if base:
        return f"{base}{'&' if '?' in base else '?'}{urlencode({'csv': chart.id})}"
    request = context["request"]
    query = request.GET.copy()
    query["csv"] = chart.id
    return f"{request.path}?{query.urlencode()}"


@register.filter
def chart_label(value) -> str:
    """A label of the x axis as the table shows it: a day with its weekday ("Mon, Nov. 2, 2026"), else as it is."""
    return date_filter(value, "D, N j, Y") if isinstance(value, date) else str(value)


@register.simple_tag
def chart_summary(chart) -> str:
    """What a screen reader says of the drawing: its kind, series and range, and where the figures are."""
    drawn_as = {dataset.get("type", chart.kind) for dataset in chart.config()["datasets"]}
    kind = (
        {"line": "Line chart", "bar": "Bar chart"}.get(chart.kind, "Chart")
        if len(drawn_as) < 2
        else "Bar and line chart"
    )
    names = [series.name for series in chart.series]
    named = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    span = ""
    if chart.labels:
        span = f", {chart_label(chart.labels[0])} to {chart_label(chart.labels[-1])}"
    return f"{chart.title}. {kind} of {named}{span}. The figures are in the table that follows."
