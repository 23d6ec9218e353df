"""``/team/scorecard/``: the partner's scorecard as its channel team sees it, for the partner's own admins.

The score and its parts with their weights and facts (``analytics.selectors.scorecards``, read from the daily
rollups), the score over 90 days as a small inline SVG line and a table, the certification forecast of the
partner's tier, and what to do next. Only the admin's own partner: there is no partner in the address.
"""

from dataclasses import dataclass

from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from analytics.models import ScorecardWeights
from analytics.selectors.scorecards import forecast_rows, partner_scorecard
from certifications.selectors import visible_certification_ids

from .access import team_page

#: The trend table: the score every this many days, back from the last day.
STEP_DAYS = 7
#: The trend line's drawing: its size and the room left for the axes' labels.
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 480, 150, 30, 10, 10, 24


@dataclass(frozen=True)
class NextStep:
    text: str
    url: str = ""
    link: str = ""


@require_GET
@team_page
def scorecard(request, partner):
    card = partner_scorecard(partner=partner, weights=ScorecardWeights.load(request_or_site=request))
    visible = visible_certification_ids(user=request.user)
    forecast = [
        {**row, "title": row["certification"].title if row["certification"].pk in visible else None}
        for row in forecast_rows(card.compliance)
    ]
    return TemplateResponse(
        request,
        "home/team/scorecard.html",
        {
            "partner": partner,
            "card": card,
            "components": _components(card),
            "trend_rows": _trend_rows(card),
            "line": _line(card),
            "forecast": forecast,
            "next_steps": _next_steps(card, partner),
        },
    )


def _components(card) -> list[dict]:
    row = card.row
    labels = {
        "engagement": _("Engagement"),
        "learning": _("Learning"),
        "certification": _("Certification"),
        "bulletins": _("Bulletins"),
    }
    if row is None:
        facts = {}
    else:
        facts = {
            "engagement": [
                (_("People"), row.members),
                (_("Active in the last 90 days"), row.active_users),
                (_("Sign-ins"), row.sign_ins),
                (_("Downloads"), row.downloads),
                (_("Searches"), row.searches),
                (_("Last active"), date_format(row.last_active_on) if row.last_active_on else _("Never")),
            ],
            "learning": [
                (_("Courses in progress or done"), row.enrolments),
                (_("Completed in the last 90 days"), row.completions),
                (_("Assigned courses overdue"), row.overdue),
            ],
            "certification": [
                (
                    _("Certified people for your tier"),
                    _("%(held)s of %(required)s")
                    % {"held": row.certifications_held, "required": row.certifications_required},
                ),
            ],
            "bulletins": [
                (
                    _("Required bulletins acknowledged"),
                    _("%(held)s of %(required)s")
                    % {"held": row.bulletins_acknowledged, "required": row.bulletins_required},
                ),
            ],
        }
    return [
        {
            "key": component.key,
            "label": labels[component.key],
            "score": component.score,
            "weight": component.weight,
            "share": None if component.share is None else round(component.share * 100),
            "facts": facts.get(component.key, []),
        }
        for component in card.components
    ]


def _trend_rows(card) -> list[tuple]:
    """The score every ``STEP_DAYS`` days back from the last day, oldest first: (day, score)."""
    return list(reversed(card.series[::-1][::STEP_DAYS]))


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class Line:
    segments: list[str]  # "x,y x,y …" of each run of days with a score
    ticks: list[Tick]  # 0, 50 and 100
    first_day: str
    last_day: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    label_y: int = HEIGHT - 6

    @property
    def tick_x(self) -> int:
        return self.left - 6


def _line(card) -> Line | None:
    """The daily score as polylines (a gap where a day has none), 0 at the bottom, 100 at the top."""
    series = card.series
    if not series or all(score is None for _day, score in series):
        return None
    step = (WIDTH - LEFT - RIGHT) / max(1, len(series) - 1)

    def y(score: float) -> float:
        return round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - score / 100), 1)

    segments, current = [], []
    for index, (_day, score) in enumerate(series):
        if score is None:
            if current:
                segments.append(current)
            current = []
            continue
        current.append(f"{LEFT + index * step:.1f},{y(score)}")
    if current:
        segments.append(current)
    return Line(
        # A single day draws a dot (a stroke from the point to itself, with round caps), so that it shows.
        segments=[" ".join(points if len(points) > 1 else [*points, points[0]]) for points in segments],
        ticks=[Tick(value, y(value)) for value in (0, 50, 100)],
        first_day=date_format(series[0][0], "SHORT_DATE_FORMAT"),
        last_day=date_format(series[-1][0], "SHORT_DATE_FORMAT"),
    )


def _next_steps(card, partner) -> list[NextStep]:
    row = card.row
    if row is None:
        return []
    team, compliance = reverse("home:team"), reverse("home:team_compliance")
    steps = []
    if row.tier_met is False:
        missing = max(0, row.certifications_required - row.certifications_held)
        steps.append(
            NextStep(
                ngettext(
                    "You are below the %(tier)s tier's certification requirements: %(count)s more certified person "
                    "is needed.",
                    "You are below the %(tier)s tier's certification requirements: %(count)s more certified people "
                    "are needed.",
                    missing,
                )
                % {"tier": partner.tier.name, "count": missing},
                compliance,
                _("See tier compliance"),
            )
        )
    elif row.tier_met and row.tier_falls_below_within:
        steps.append(
            NextStep(
                _(
                    "You fall below the %(tier)s tier within %(days)s days unless certificates are renewed or more "
                    "people certify."
                )
                % {"tier": partner.tier.name, "days": row.tier_falls_below_within},
                compliance,
                _("See who lapses"),
            )
        )
    if row.overdue:
        steps.append(
            NextStep(
                ngettext(
                    "%(count)s assigned course is overdue.", "%(count)s assigned courses are overdue.", row.overdue
                )
                % {"count": row.overdue},
                team,
                _("See your people's learning"),
            )
        )
    if card.bulletins_missing:
        steps.append(
            NextStep(
                ngettext(
                    "%(count)s acknowledgement of a required bulletin is missing: ask your people to read and "
                    "acknowledge it.",
                    "%(count)s acknowledgements of required bulletins are missing: ask your people to read and "
                    "acknowledge them.",
                    card.bulletins_missing,
                )
                % {"count": card.bulletins_missing},
            )
        )
    inactive_for = card.inactive_for()
    if inactive_for == -1:
        steps.append(NextStep(_("No one from your company has used the portal yet.")))
    elif inactive_for is not None:
        steps.append(
            NextStep(
                ngettext(
                    "No one from your company has used the portal for %(count)s day.",
                    "No one from your company has used the portal for %(count)s days.",
                    inactive_for,
                )
                % {"count": inactive_for}
            )
        )
    elif card.idle_members:
        steps.append(
            NextStep(
                ngettext(
                    "%(count)s of your %(members)s people has not used the portal in the last 90 days.",
                    "%(count)s of your %(members)s people have not used the portal in the last 90 days.",
                    card.idle_members,
                )
                % {"count": card.idle_members, "members": row.members},
                team,
                _("See your people"),
            )
        )
    return steps
