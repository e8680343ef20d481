"""The annual report: a printable page and a PDF in the reader's language."""

from __future__ import annotations

import pytest
from flask import current_app

from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.surveys import queries, report
from eraati.surveys.models import FollowUp
from tests.surveys.test_queries import (
    make_round,
    repeat,
    small_group_round,
    submit_many,
)
from tests.surveys.test_results_views import EN, page


def report_url(panel, round_=None) -> str:
    moment = round_.opens_at if round_ is not None else utcnow()
    year = queries.local_year(moment, current_app.config["TIMEZONE"])
    return f"/results/panels/{panel.id}/report/{year}"


def test_report_shows_rounds_counts_results_and_actions(client, panel, templates):
    round_ = small_group_round(panel, templates)
    db.session.add(FollowUp(round_id=round_.id, note={"en": "Evening meetings."}))
    hidden = make_round(panel, templates["self-evaluation"], published=False)
    submit_many(hidden, repeat(6, {"panel-meaningful": "agree"}))
    db.session.commit()

    html = page(client, report_url(panel, round_))

    assert "Responses per round" in html
    assert "<td>25</td>" in html
    assert "<td>6</td>" not in html  # the unpublished round is left out
    assert "We will act." in html and "Evening meetings." in html
    assert "round by round" in html
    assert 'class="chart"' in html


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_report_page_is_in_the_reader_language(client, panel, templates, language):
    round_ = small_group_round(panel, templates)

    html = page(client, report_url(panel, round_), {"Accept-Language": language})

    assert f'<html lang="{language}"' in html


def test_pdf_download(client, panel, templates):
    round_ = small_group_round(panel, templates)

    response = client.get(report_url(panel, round_) + ".pdf", headers=EN)

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert b"Raati: annual report" in response.data  # the document title
    assert "attachment" in response.headers["Content-Disposition"]


def test_report_of_a_year_without_rounds_says_so(client, panel):
    html = page(client, report_url(panel))

    assert "No results were published this year." in html


@pytest.mark.parametrize("year", [1999, 3000])
def test_year_out_of_range_is_a_translated_404(client, panel, year):
    for suffix in ("", ".pdf"):
        url = f"/results/panels/{panel.id}/report/{year}{suffix}"
        html = page(client, url, status=404)
        assert "There is no annual report for that year." in html


def test_unknown_panel_has_no_report(client, panel):
    page(client, "/results/panels/999999/report/2026", status=404)


def test_missing_font_names_the_package(monkeypatch, tmp_path):
    monkeypatch.setattr(report, "FONT_DIR", tmp_path)

    with pytest.raises(RuntimeError, match="apt-get install fonts-dejavu-core"):
        report.font_paths()
