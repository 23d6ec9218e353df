"""What a screen with charts loads (the vendored Chart.js, ``charts.js`` and their styles), as Wagtail media.

A view adds ``chart_media()`` to its template's ``media`` (``analytics/admin/base.html`` prints it); a
dashboard panel (a Wagtail ``Component``) declares ``Media = ChartMedia``, and the dashboard collects it.
Nothing is loaded on pages without charts.
"""

from django.forms import Media

#: The vendored Chart.js (``analytics/static/analytics/vendor/chart.js/<version>/VENDORED.md``).
CHART_JS_VERSION = "4.6.1"
CHART_JS = f"analytics/vendor/chart.js/{CHART_JS_VERSION}/chart.umd.min.js"


class ChartMedia:
    css = {"all": ["analytics/charts.css"]}
    js = [CHART_JS, "analytics/charts.js"]


def chart_media() -> Media:
    return Media(css=ChartMedia.css, js=ChartMedia.js)
