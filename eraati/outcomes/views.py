"""What became of it: a public page and an Atom feed per panel and per budgeting
process, and each person's own page.

Filters are plain GET parameters (``status``, ``kind``, ``period``), so the pages
work without JavaScript and a filtered page's feed follows the same filters.
Officials and the panel's moderators see ideas whose status has not changed for
``STALE_IDEA_DAYS`` highlighted, first.
"""

from __future__ import annotations

import math
from datetime import datetime

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from eraati.budgeting.models import Phase, Process
from eraati.core.i18n import current_language
from eraati.core.i18n import text_in_reader_language as tr
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.outcomes import feed, labels
from eraati.outcomes.items import (
    PERIODS,
    FilterError,
    Filters,
    Kind,
    Outcome,
    apply_filters,
    mark_stale,
    ordered,
    parse_filters,
)
from eraati.outcomes.personal import person_outcomes
from eraati.outcomes.queries import panel_outcomes, process_outcomes
from eraati.panels import services as panels
from eraati.panels.models import Panel

bp = Blueprint("outcomes", __name__)

#: Items on one page (a phone scrolls through this many), and entries in a feed.
PER_PAGE = 50
FEED_ENTRIES = 100
PANEL_KINDS = (Kind.IDEA, Kind.SURVEY)
PROCESS_KINDS = (Kind.PROPOSAL, Kind.PROJECT)
PERSON_KINDS = (Kind.IDEA, Kind.SESSION, Kind.PROPOSAL, Kind.PROJECT)


def _panel_or_404(panel_id: int) -> Panel:
    panel = db.session.get(Panel, panel_id)
    if panel is None or panel.is_archived:
        abort(404)
    return panel


def _process_or_404(process_id: int) -> Process:
    process = db.session.get(Process, process_id)
    if process is None or process.phase is Phase.DRAFT:
        abort(404)
    return process


def _filters(kinds: tuple[Kind, ...]) -> Filters:
    try:
        return parse_filters(request.args, kinds)
    except FilterError:
        abort(400, _("Choose the status, the kind and the time from the lists."))


def _shown(items: list[Outcome], filters: Filters, now: datetime) -> list[Outcome]:
    return ordered(apply_filters(items, filters, now))


def _render(items: list[Outcome], kinds: tuple[Kind, ...], **context):
    filters = _filters(kinds)
    shown = _shown(items, filters, utcnow())
    pages = max(1, math.ceil(len(shown) / PER_PAGE))
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    return render_template(
        "outcomes/list.html",
        items=shown[(page - 1) * PER_PAGE : page * PER_PAGE],
        page=page,
        pages=pages,
        page_url=_page_url,
        filters=filters,
        kinds={kind: labels.KIND[kind] for kind in kinds},
        stages=labels.STAGE,
        periods={days: labels.PERIOD[days] for days in PERIODS},
        kind_labels=labels.KIND,
        **context,
    )


def _page_url(page: int) -> str:
    """This page, with the same filters, at another page number."""
    args = {**request.args.to_dict(), "page": page}
    return url_for(request.endpoint, **request.view_args, **args)


def _feed_response(key: str, title: str, page: str, items: list[Outcome], since):
    body = feed.atom_feed(
        key=key,
        title=title,
        page=page,
        self_link=request.full_path.rstrip("?"),
        language=current_language(),
        items=items[:FEED_ENTRIES],
        fallback_updated=since,
    )
    return Response(body, content_type=feed.CONTENT_TYPE)


def _feed_url(endpoint: str, **values) -> str:
    """The feed of the page as filtered now (and in the reader's language)."""
    args = {k: v for k, v in request.args.items() if k in ("status", "kind", "period")}
    return url_for(endpoint, **values, **args, lang=current_language())


# --- Panels -----------------------------------------------------------------------


@bp.get("/panels/<int:panel_id>/outcomes")
def panel(panel_id: int):
    """Ideas from the panel's sessions and its questionnaires' results."""
    found = _panel_or_404(panel_id)
    items = panel_outcomes(found)
    official = panels.can_moderate(current_user, found)
    days = current_app.config["STALE_IDEA_DAYS"]
    if official:
        items = mark_stale(items, utcnow(), days)
    return _render(
        items,
        PANEL_KINDS,
        title=_("What became of it: %(name)s", name=tr(found.name)),
        intro=_(
            "The ideas raised in the panel's sessions and the results of its "
            "questionnaires, and what became of each, also when it does not go ahead."
        ),
        feed_url=_feed_url(".panel_feed", panel_id=found.id),
        back=(url_for("panels.show", panel_id=found.id), _("Back to the panel")),
        stale_days=days,
        stale_count=sum(item.stale for item in items),
        manage_ideas=url_for("rooms_manage.ideas", panel_id=found.id)
        if official
        else None,
    )


@bp.get("/panels/<int:panel_id>/outcomes.atom")
def panel_feed(panel_id: int):
    found = _panel_or_404(panel_id)
    filters = _filters(PANEL_KINDS)
    return _feed_response(
        f"panel-{found.id}",
        _("What became of it: %(name)s", name=tr(found.name)),
        url_for(".panel", panel_id=found.id),
        _shown(panel_outcomes(found), filters, utcnow()),
        found.created_at,
    )


# --- Participatory budgeting ------------------------------------------------------


@bp.get("/pb/<int:process_id>/outcomes")
def process(process_id: int):
    """Residents' ideas for the process and its projects."""
    found = _process_or_404(process_id)
    return _render(
        process_outcomes(found),
        PROCESS_KINDS,
        title=_("What became of it: %(name)s", name=tr(found.title)),
        intro=_(
            "The ideas residents sent and the projects, and what became of each, "
            "also when it does not go ahead."
        ),
        feed_url=_feed_url(".process_feed", process_id=found.id),
        back=(
            url_for("budgeting.process_page", process_id=found.id),
            _("Back to the process"),
        ),
    )


@bp.get("/pb/<int:process_id>/outcomes.atom")
def process_feed(process_id: int):
    found = _process_or_404(process_id)
    filters = _filters(PROCESS_KINDS)
    return _feed_response(
        f"pb-{found.id}",
        _("What became of it: %(name)s", name=tr(found.title)),
        url_for(".process", process_id=found.id),
        _shown(process_outcomes(found), filters, utcnow()),
        found.created_at,
    )


# --- The person's own page -----------------------------------------------------------


@bp.get("/my/outcomes")
@login_required
def mine():
    """Only the signed-in person's own items; nobody else's page can be asked for."""
    return _render(
        person_outcomes(current_user.id),
        PERSON_KINDS,
        title=_("What became of my ideas"),
        intro=_(
            "The ideas you raised, the sessions you took part in, and the "
            "participatory budgeting ideas and projects you sent, follow or voted on. "
            "How you voted is secret: it is not stored with your name."
        ),
        personal=True,
        back=(url_for("accounts.profile"), _("Back to my profile")),
    )
