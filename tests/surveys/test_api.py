"""The read-only JSON API of published results and its OpenAPI document."""

from __future__ import annotations

import re

import pytest

from eraati.extensions import db
from eraati.surveys.models import Question
from tests.surveys.test_queries import (
    make_round,
    repeat,
    seed_round,
    small_group_round,
    submit_many,
)
from tests.surveys.test_results_views import EN


def get_json(client, url, status=200):
    response = client.get(url, headers=EN)
    assert response.status_code == status, response.get_data(True)
    assert response.mimetype == "application/json"
    return response.get_json()


def flask_rule(path: str) -> str:
    """``/rounds/{round_id}`` as the Flask rule ``/api/v1/rounds/<int:round_id>``."""
    return "/api/v1" + re.sub(r"\{(\w+)\}", r"<int:\1>", path)


def test_every_documented_path_is_a_route(app, client):
    document = get_json(client, "/api/v1/openapi.json")

    rules = {rule.rule: rule.methods for rule in app.url_map.iter_rules()}
    assert document["openapi"].startswith("3.1")
    for path, operations in document["paths"].items():
        assert flask_rule(path) in rules, path
        for method in operations:
            assert method.upper() in rules[flask_rule(path)]


def test_every_api_route_is_documented(app, client):
    document = get_json(client, "/api/v1/openapi.json")

    documented = {flask_rule(path) for path in document["paths"]}
    routes = {r.rule for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1")}
    assert routes == documented


def test_rounds_lists_only_published_rounds(client, panel):
    published = seed_round(panel)
    seed_round(panel, published=False)

    body = get_json(client, "/api/v1/rounds")

    assert [r["id"] for r in body["rounds"]] == [published.id]
    assert body["rounds"][0]["results_url"] == f"/results/rounds/{published.id}"
    assert get_json(client, f"/api/v1/rounds?panel={panel.id + 1}")["rounds"] == []


def test_suppressed_values_are_null_and_flagged(client, panel, templates):
    round_ = small_group_round(panel, templates)

    body = get_json(client, f"/api/v1/rounds/{round_.id}")

    age = next(q for q in body["questions"] if q["key"] == "background-age")
    shares = {share["key"]: share for share in age["shares"]}
    assert shares["under-30"] == {
        "key": "under-30",
        "label": "under 30",
        "count": None,
        "percent": None,
        "suppressed": True,
    }
    assert shares["30-64"]["suppressed"] and shares["30-64"]["count"] is None
    assert (shares["65-plus"]["count"], shares["65-plus"]["percent"]) == (12, 48)
    assert body["round"]["responses"] == 25


def test_small_group_is_hidden_alike_on_page_export_and_api(client, panel, templates):
    round_ = small_group_round(panel, templates)

    body = get_json(client, f"/api/v1/rounds/{round_.id}")
    exported = client.get(f"/results/rounds/{round_.id}/aggregates.csv").get_data()
    html = client.get(f"/results/rounds/{round_.id}", headers=EN).get_data(True)

    age = next(q for q in body["questions"] if q["key"] == "background-age")
    hidden = {s["key"] for s in age["shares"] if s["suppressed"]}
    assert hidden == {"under-30", "30-64"}  # the 3 and, to protect them, the 10
    for key in hidden:
        assert f",{key},".encode() in exported
        assert re.search(f",{key},[^\n]*,,,,,,,true".encode(), exported)
    assert html.count("hidden (small group)</td>") >= 2


def test_api_matches_the_export(client, panel):
    round_ = seed_round(panel)

    body = get_json(client, f"/api/v1/rounds/{round_.id}")
    exported = client.get(f"/results/rounds/{round_.id}/aggregates.csv").get_data()

    seed = body["questions"][0]
    assert seed["n"] == 17
    visible = [s for s in seed["shares"] if not s["suppressed"]]
    assert [(s["key"], s["count"], s["percent"]) for s in visible] == [("b", 8, 47)]
    assert b",b,B,17,8,47," in exported


def test_trend_follows_published_rounds(client, panel, templates):
    first = small_group_round(panel, templates)
    second = make_round(panel, templates["self-evaluation"], months_ago=0)
    submit_many(second, repeat(4, {"panel-meaningful": "agree"}))
    make_round(panel, templates["self-evaluation"], published=False)
    question = db.session.scalar(
        db.select(Question).where(Question.key == "panel-meaningful")
    )

    body = get_json(client, f"/api/v1/questions/{question.id}/trend")

    assert [p["round"]["id"] for p in body["points"]] == [first.id, second.id]
    assert body["points"][1]["summary"]["suppressed"] is True
    assert body["points"][1]["summary"]["n"] is None


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/rounds/999999", 404),
        ("/api/v1/rounds?panel=x", 400),
        ("/api/v1/questions/999999/trend", 404),
        ("/api/v1/nothing", 404),
    ],
)
def test_errors_are_translated_json(client, panel, url, status):
    body = get_json(client, url, status)

    assert body["error"]["code"] == status
    assert body["error"]["message"]


def test_unpublished_round_is_not_in_the_api(client, panel):
    round_ = seed_round(panel, published=False)

    get_json(client, f"/api/v1/rounds/{round_.id}", 404)
