"""The results page's figures and tables in the reader's language.

Per area: the winners, votes per project, the share of the area budget, greedy and
equal shares side by side, and why equal shares funded each project or not. Tables
are :class:`~eraati.surveys.report.Table` objects with their inline SVG charts
(:mod:`eraati.surveys.charts`), drawn by the survey results' own macro.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _
from markupsafe import Markup

from eraati.budgeting import queries
from eraati.budgeting.explain import ProjectExplanation, Reason
from eraati.budgeting.manage_labels import STATUS_LABELS
from eraati.budgeting.models import ProjectStatus
from eraati.budgeting.results import exact_money, percent
from eraati.core.i18n import format_money, text_in_reader_language
from eraati.surveys import charts
from eraati.surveys.report import Cell, Row, Table

#: Council statuses worth a word in the results (the others are "–").
DECIDED = (ProjectStatus.SELECTED, ProjectStatus.FUNDED, ProjectStatus.DROPPED)


# -- figures in the reader's language --------------------------------------------------


def money(value) -> str:
    """Money to the cent, also exact fractions from the count."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return format_money(Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP))


def pct(value: int | None) -> str:
    return "–" if value is None else format_percent(Decimal(value) / 100)


def num(value) -> str:
    return format_decimal(value)


def funded_text(funded: bool) -> str:
    return _("Funded") if funded else _("Not funded")


def council_text(project) -> str:
    if project.status not in DECIDED:
        return "–"
    label = str(STATUS_LABELS[project.status])
    if project.status is ProjectStatus.DROPPED and project.status_reason:
        return f"{label}: {project.status_reason}"
    return label


# -- an area ---------------------------------------------------------------------------


def area_display(found: queries.AreaResult, *, rule_is_own: bool) -> dict:
    """Everything the results page shows for one area."""
    count = found.count
    titles = {
        pid: text_in_reader_language(p.title) for pid, p in found.projects.items()
    }
    spent = count.official.total_cost
    return {
        "area": found.area,
        "id": found.area.id,
        "ballots": num(found.turnout.ballots),
        "eligible": None
        if found.turnout.eligible is None
        else num(found.turnout.eligible),
        "turnout_percent": pct(found.turnout.percent),
        "winners": [
            (titles[pid], money(found.projects[pid].cost), num(count.votes[pid]))
            for pid in count.official.selected
        ],
        "spent": money(spent),
        "spent_share": pct(percent(spent, count.budget)),
        "only_greedy": [titles[pid] for pid in count.only_greedy],
        "only_equal_shares": [titles[pid] for pid in count.only_equal_shares],
        "votes": votes_table(found, titles),
        "methods": methods_table(found, titles, rule_is_own),
        "budget": budget_table(found, titles),
        "explanation": explanation_intro(count.explanation),
        "reasons": explanation_table(found, titles),
    }


def _by_votes(found: queries.AreaResult, titles: dict[str, str]) -> list[str]:
    votes = found.count.votes
    return sorted(found.projects, key=lambda pid: (-votes[pid], titles[pid].casefold()))


def votes_table(found: queries.AreaResult, titles: dict[str, str]) -> Table:
    count = found.count
    points = count.points
    head = [_("Project"), _("Votes"), _("Share of ballots")]
    if points is not None:
        head.append(_("Points"))
    head.append(_("Cost"))
    rows, bars = [], []
    for pid in _by_votes(found, titles):
        share = percent(count.votes[pid], count.voters)
        cells = [Cell(num(count.votes[pid])), Cell(pct(share))]
        if points is not None:
            cells.append(Cell(num(points[pid])))
        cells.append(Cell(money(found.projects[pid].cost)))
        rows.append(Row(titles[pid], tuple(cells)))
        bars.append(
            charts.Bar(
                titles[pid],
                share or 0,
                f"{num(count.votes[pid])} ({pct(share)})",
            )
        )
    caption = _("Votes per project in %(area)s", area=_area_name(found))
    chart = _chart(
        f"votes-{found.area.id}",
        bars,
        caption,
        _("The share of ballots that chose each project, most votes first."),
    )
    notes = ()
    if points is not None and _kind(found) == "ranked":
        notes = (
            _(
                "Points: a project ranked first on a ballot of 3 gets 3 points, the second 2, the third 1."
            ),
        )
    return Table(caption, tuple(head), tuple(rows), chart, notes)


def methods_table(
    found: queries.AreaResult, titles: dict[str, str], rule_is_own: bool
) -> Table:
    """Greedy and equal shares side by side (and the process's rule if another)."""
    count = found.count
    outcomes = [count.greedy, count.equal_shares]
    head = [_("Project"), _("Cost"), _("Greedy"), _("Equal shares")]
    if not rule_is_own:
        outcomes.append(count.official)
        head.append(_("By the process's rule"))
    head.append(_("Council decision"))
    rows = [
        Row(
            titles[pid],
            (
                Cell(money(found.projects[pid].cost)),
                *(Cell(funded_text(pid in o.selected)) for o in outcomes),
                Cell(council_text(found.projects[pid])),
            ),
        )
        for pid in _by_votes(found, titles)
    ]
    used = [
        Cell(f"{money(o.total_cost)} ({pct(percent(o.total_cost, count.budget))})")
        for o in outcomes
    ]
    rows.append(Row(_("Money used"), (Cell(""), *used, Cell("")), total=True))
    caption = _(
        "Greedy and equal shares side by side in %(area)s", area=_area_name(found)
    )
    return Table(caption, tuple(head), tuple(rows))


def budget_table(found: queries.AreaResult, titles: dict[str, str]) -> Table:
    """How the area budget is used by the winning projects."""
    count = found.count
    rows, bars = [], []
    for pid in count.official.selected:
        cost = found.projects[pid].cost
        share = percent(exact_money(cost), count.budget)
        rows.append(Row(titles[pid], (Cell(money(cost)), Cell(pct(share)))))
        bars.append(
            charts.Bar(titles[pid], share or 0, f"{money(cost)} ({pct(share)})")
        )
    left = count.budget - count.official.total_cost
    left_share = percent(left, count.budget)
    rows.append(Row(_("Not used"), (Cell(money(left)), Cell(pct(left_share))), True))
    bars.append(
        charts.Bar(_("Not used"), left_share or 0, f"{money(left)} ({pct(left_share)})")
    )
    caption = _("Share of the area budget in %(area)s", area=_area_name(found))
    chart = _chart(
        f"budget-{found.area.id}",
        bars,
        caption,
        _(
            "How much of the area budget of %(budget)s each winning project takes.",
            budget=money(count.budget),
        ),
    )
    head = (_("Project"), _("Cost"), _("Share of the area budget"))
    return Table(caption, head, tuple(rows), chart)


def explanation_intro(explanation) -> list[str]:
    if not explanation.voters:
        return [_("Nobody voted in this area.")]
    lines = [
        _(
            "Each voter had an equal share of the area budget: %(budget)s divided by %(voters)s voters is %(share)s.",
            budget=money(explanation.budget),
            voters=num(explanation.voters),
            share=money(explanation.share),
        )
    ]
    if explanation.share_raised:
        lines.append(
            _(
                "To use more of the money, the count was repeated with larger shares. The last count that stayed within the budget gave everyone %(share)s.",
                share=money(explanation.voter_budget),
            )
        )
    return lines


def explanation_table(found: queries.AreaResult, titles: dict[str, str]) -> Table:
    """Why equal shares funded each project, or did not."""
    rows = [
        Row(titles[p.project_id], (Cell(funded_text(p.funded)), Cell(why(p))))
        for p in found.count.explanation.projects
    ]
    explained = {p.project_id for p in found.count.explanation.projects}
    rows += [
        Row(titles[pid], (Cell(_("Not counted")), Cell(council_text(project))))
        for pid, project in found.projects.items()
        if pid not in explained
    ]
    caption = _(
        "Why equal shares funded a project or not in %(area)s", area=_area_name(found)
    )
    return Table(caption, (_("Project"), _("Equal shares"), _("Why")), tuple(rows))


def why(explained: ProjectExplanation) -> str:
    """One project's explanation in plain words."""
    reason = explained.reason
    if reason is Reason.SHARES:
        return _(
            "Funded as number %(order)s. Its supporters (%(supporters)s) paid for it together from their shares. No one paid more than %(price)s.",
            order=explained.order,
            supporters=num(explained.votes),
            price=money(explained.price),
        )
    if reason is Reason.FREE:
        return _("It costs nothing, so it was funded first.")
    if reason is Reason.COMPLETION:
        return _(
            "Funded with the money left over after the shares were used, because it still fitted in the budget."
        )
    if reason is Reason.NO_VOTES:
        return _("Nobody voted for it.")
    if explained.covered is None:
        return _("Its supporters could not pay for it from their shares.")
    return _(
        "Its supporters (%(supporters)s) had %(money)s left of their shares, %(percent)s of its cost of %(cost)s.",
        supporters=num(explained.votes),
        money=money(explained.available),
        percent=pct(percent(explained.covered, 1)),
        cost=money(explained.cost),
    )


def _chart(chart_id: str, bars, title: str, description: str) -> Markup | None:
    if not bars:
        return None
    svg = charts.bar_chart(
        bars, chart_id=chart_id, title=title, description=description, hidden_label=""
    )
    return Markup(svg)  # built by charts.py, which escapes every text


def _area_name(found: queries.AreaResult) -> str:
    return text_in_reader_language(found.area.name)


def _kind(found: queries.AreaResult) -> str:
    return found.area.process.ballot_type.value
