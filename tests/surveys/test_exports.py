"""CSV and XLSX downloads: the same figures as the page, anonymised rows, suppression."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from eraati.accounts.models import Role
from eraati.extensions import db
from eraati.surveys.models import Answer, Channel, QuestionType, TextReview
from tests.surveys.test_queries import (
    custom_questionnaire,
    make_round,
    repeat,
    seed_round,
    small_group_round,
    submit_many,
)
from tests.surveys.test_results_views import EN, HIDDEN, page, table_cells


def download(client, url, status=200):
    response = client.get(url, headers=EN)
    assert response.status_code == status, response.status_code
    return response


def csv_rows(response) -> list[dict[str, str]]:
    text = response.get_data().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_aggregates_csv_equals_the_results_page(client, panel, templates):
    round_ = small_group_round(panel, templates)
    html = page(client, f"/results/rounds/{round_.id}")

    rows = csv_rows(download(client, f"/results/rounds/{round_.id}/aggregates.csv"))

    compared = 0
    for row in rows:
        if not row["option_key"] or row["row_key"]:
            continue
        cells = table_cells(html, row["Question"])[row["Answer"]]
        if row["Hidden (small group)"] == "true":
            assert cells == [HIDDEN] and row["Count"] == row["Percent"] == ""
        else:
            assert cells == [f"{row['Percent']}%", row["Count"]]
        compared += 1
    assert compared >= 10
    age = {r["option_key"]: r for r in rows if r["question_key"] == "background-age"}
    assert age["under-30"]["Hidden (small group)"] == "true"
    assert age["30-64"]["Hidden (small group)"] == "true"
    assert (age["65-plus"]["Count"], age["65-plus"]["Percent"]) == ("12", "48")
    assert rows[0]["n"] == "25"


def test_aggregates_of_a_matrix_equal_the_page(client, panel, templates):
    round_ = make_round(panel, templates["self-evaluation"])
    rows = {"fair-turns": "agree", "summary": "somewhat_agree"}
    submit_many(round_, repeat(7, {"panel-ground-rules": rows}))
    html = page(client, f"/results/rounds/{round_.id}")

    exported = csv_rows(download(client, f"/results/rounds/{round_.id}/aggregates.csv"))

    cells = table_cells(html, "How well were the panel&#39;s ground rules followed?")
    fair = [r for r in exported if r["row_key"] == "fair-turns"]
    assert cells["Speaking turns were shared evenly"][0] == "100% (7)"
    assert (fair[0]["Count"], fair[0]["Percent"], fair[0]["n"]) == ("7", "100", "7")


def test_xlsx_holds_the_same_rows_as_csv(client, panel):
    round_ = seed_round(panel)

    from_csv = csv_rows(download(client, f"/results/rounds/{round_.id}/aggregates.csv"))
    response = download(client, f"/results/rounds/{round_.id}/aggregates.xlsx")

    sheet = load_workbook(io.BytesIO(response.data)).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == list(from_csv[0])
    b_row = next(v for v in values if v[4] == "b")
    assert (b_row[7], b_row[8], b_row[13]) == (8, 47, False)
    a_row = next(v for v in values if v[4] == "a")
    assert (a_row[7], a_row[8], a_row[13]) == (None, None, True)


def test_unpublished_aggregates_are_for_officials(client, panel, create_user, login):
    round_ = seed_round(panel, published=False)

    download(client, f"/results/rounds/{round_.id}/aggregates.csv", 404)
    login(create_user(Role.OFFICIAL))
    download(client, f"/results/rounds/{round_.id}/aggregates.csv")


@pytest.mark.parametrize("fmt", ["pdf", "json", "CSV"])
def test_unknown_format_is_a_translated_400(client, panel, fmt):
    round_ = seed_round(panel)

    response = download(client, f"/results/rounds/{round_.id}/aggregates.{fmt}", 400)

    assert "Downloads are available as CSV and XLSX." in response.get_data(True)


def test_response_rows_are_for_officials_only(client, panel, create_user, login):
    round_ = seed_round(panel)
    url = f"/results/rounds/{round_.id}/responses.csv"

    assert client.get(url).status_code == 302
    login(create_user(Role.MODERATOR))
    assert client.get(url).status_code == 403


def test_response_rows_are_anonymised(client, panel, templates, create_user, login):
    round_ = small_group_round(panel, templates)
    submit_many(round_, repeat(5, {"panel-what-works": "=HYPERLINK(1)"}))
    texts = db.session.scalars(db.select(Answer).where(Answer.text.is_not(None))).all()
    texts[0].text_review = TextReview.PUBLISHED
    texts[0].text_published = "=HYPERLINK(1)"
    db.session.commit()
    login(create_user(Role.OFFICIAL))

    rows = csv_rows(download(client, f"/results/rounds/{round_.id}/responses.csv"))

    assert len(rows) == 30
    assert sorted(int(r["Response"]) for r in rows) == list(range(1, 31))
    assert all(re.fullmatch(r"\d{4}-\d{2}", r["Month"]) for r in rows)
    ages = [r["background-age"] for r in rows]
    assert ages.count("hidden") == 13  # the 3 under 30 and, to protect them, the 10
    assert ages.count("65 or over") == 12
    published = [r["panel-what-works"] for r in rows if r["panel-what-works"]]
    assert published == ["'=HYPERLINK(1)"]  # only the published one, made inert
    assert {r["panel-recommend"] for r in rows} <= {"8", "9", "10", ""}


def test_rows_of_a_small_round_are_not_exported(client, panel, create_user, login):
    questionnaire = custom_questionnaire(
        panel, [("q", QuestionType.SINGLE, ("a", "b"))]
    )
    round_ = make_round(panel, questionnaire)
    submit_many(round_, repeat(4, {"q": "a"}))
    login(create_user(Role.OFFICIAL))

    response = download(client, f"/results/rounds/{round_.id}/responses.csv", 404)

    assert "fewer than 5 responses" in response.get_data(True)


def test_small_channel_is_hidden_in_rows(client, panel, create_user, login):
    questionnaire = custom_questionnaire(
        panel, [("q", QuestionType.SINGLE, ("a", "b"))]
    )
    round_ = make_round(panel, questionnaire)
    submit_many(round_, repeat(8, {"q": "a"}))
    submit_many(round_, repeat(2, {"q": "b"}), channel=Channel.PAPER)
    login(create_user(Role.OFFICIAL))

    response = download(client, f"/results/rounds/{round_.id}/responses.xlsx")

    sheet = load_workbook(io.BytesIO(response.data)).active
    channels = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(channels) == ["hidden"] * 10  # 2 on paper: the 8 online hide too
