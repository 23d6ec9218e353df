"""The forecast chart of one tier requirement, as geometry for a server-rendered inline SVG (no JavaScript).

Bars are the certified people today and in 30, 60 and 90 days; a dashed line is the number required. A bar under
the line is hatched as well as coloured (never colour alone), and every bar carries its number. The SVG uses
presentation attributes and CSS classes only: the Content-Security-Policy allows no inline style.
"""

from dataclasses import dataclass

from django.utils.translation import gettext, ngettext

from certifications.selectors import FORECAST_DAYS

WIDTH, HEIGHT = 360, 210
LEFT, RIGHT, TOP, BOTTOM = 34, 12, 36, 34


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    meets: bool
    x: float
    y: float
    width: float
    height: float

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def value_y(self) -> float:
        return round(self.y - 6, 1)


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class ForecastChart:
    uid: str
    required: int
    bars: list[Bar]
    ticks: list[Tick]
    required_y: float
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    baseline: int = HEIGHT - BOTTOM

    @property
    def tick_x(self) -> int:
        return self.left - 6

    @property
    def label_y(self) -> int:
        return self.baseline + 20

    @property
    def legend_x(self) -> int:
        """Where the legend's second entry (hatched: below the requirement) starts."""
        return self.left + 150

    @property
    def summary(self) -> str:
        """One sentence for the SVG's title: the same numbers as the bars."""
        counts = ", ".join(f"{bar.label}: {bar.value}" for bar in self.bars)
        return ngettext(
            "%(required)s person required. Certified: %(counts)s.",
            "%(required)s people required. Certified: %(counts)s.",
            self.required,
        ) % {"required": self.required, "counts": counts}


def moments() -> list[tuple[str, str]]:
    """The forecast's moments: (key in the forecast, label)."""
    return [("today", gettext("Today"))] + [
        (str(days), gettext("In %(days)s days") % {"days": days}) for days in FORECAST_DAYS
    ]


def _step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500):
        if top / step <= 5:
            return step
    return 1000


def forecast_chart(*, uid: str, required: int, today: int, forecast: dict[str, int]) -> ForecastChart:
    """The chart of one requirement: ``today`` certified people and the ``forecast`` ({"30": n, ...})."""
    values = [today] + [forecast[str(days)] for days in FORECAST_DAYS]
    step = _step(max(required, *values, 1))
    top = max(step, -(-max(required, *values, 1) // step) * step)  # the axis ends on a tick above everything
    plot_height = HEIGHT - TOP - BOTTOM
    band = (WIDTH - LEFT - RIGHT) / len(values)

    def y(value: int) -> float:
        return round(TOP + plot_height * (1 - value / top), 1)

    bars = []
    for index, ((_key, label), value) in enumerate(zip(moments(), values, strict=True)):
        width = round(band * 0.56, 1)
        bars.append(
            Bar(
                label=label,
                value=value,
                meets=value >= required,
                x=round(LEFT + band * index + (band - width) / 2, 1),
                y=y(value),
                width=width,
                height=round(HEIGHT - BOTTOM - y(value), 1),
            )
        )
    ticks = [Tick(value=value, y=y(value)) for value in range(0, top + 1, step)]
    return ForecastChart(uid=uid, required=required, bars=bars, ticks=ticks, required_y=y(required))
