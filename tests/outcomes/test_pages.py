"""What became of it: the panel, process and personal pages, filters, feeds, and the
officials' highlight of ideas left without a status update."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from eraati.accounts.models import Role
from eraati.outcomes import views
from tests.outcomes.worlds import NOW, build_panel, build_process

EN = {"Accept-Language": "en"}
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setattr(views, "utcnow", lambda: NOW)


@pytest.fixture
def resident(create_user):
    return create_user(Role.RESIDENT, name="Aino")


@pytest.fixture
def panel_world(resident):
    return build_panel(resident)


def keys(html: str) -> list[str]:
    """The items on a page, in their order."""
    return re.findall(r'<li class="card[^"]*" id="([a-z]+-\d+)"', html)


def test_panel_page_lists_ideas_with_status_reason_and_last_update(client, panel_world):
    page = client.get(f"/panels/{panel_world.panel.id}/outcomes", headers=EN)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    # Accepted ideas and the published round, newest update first; no suggestion.
    assert keys(html) == [
        f"idea-{panel_world.fresh}",
        f"idea-{panel_world.stopped}",
        f"survey-{panel_world.survey}",
        f"idea-{panel_world.stale}",
        f"idea-{panel_world.done}",
    ]
    stopped = html.split(f'id="idea-{panel_world.stopped}"')[1].split("</li>")[0]
    assert "Not going ahead" in stopped
    assert "No staff for the evenings" in stopped
    assert "Feb 20, 2026" in stopped  # the last status change, ten days before NOW
    assert "The queues are shorter now." in html  # the round's latest follow-up


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=stopped", {"stopped"}),
        ("status=new", {"stale", "fresh"}),
        ("status=done&kind=idea", {"done"}),
        ("kind=survey", {"survey"}),
        ("period=30", {"fresh", "stopped", "survey"}),
        ("period=90&kind=idea", {"fresh", "stopped", "stale"}),
    ],
)
def test_filters(client, panel_world, query, expected):
    page = client.get(f"/panels/{panel_world.panel.id}/outcomes?{query}", headers=EN)
    assert set(keys(page.get_data(as_text=True))) == panel_world.keys(*expected)


def test_long_lists_come_in_pages_that_keep_the_filters(
    client, panel_world, monkeypatch
):
    monkeypatch.setattr(views, "PER_PAGE", 3)
    url = f"/panels/{panel_world.panel.id}/outcomes?kind=idea"
    first = client.get(url, headers=EN).get_data(as_text=True)
    assert len(keys(first)) == 3
    assert f'href="{url.replace("&", "&amp;")}&amp;page=2"' in first
    second = client.get(url + "&page=2", headers=EN).get_data(as_text=True)
    assert keys(second) == [f"idea-{panel_world.done}"]
    # A page past the end shows the last one.
    assert keys(client.get(url + "&page=9", headers=EN).get_data(as_text=True)) == (
        keys(second)
    )


def test_unknown_filter_values_are_refused_in_plain_words(client, panel_world):
    for query in ["status=lost", "kind=project", "period=7"]:
        page = client.get(
            f"/panels/{panel_world.panel.id}/outcomes?{query}", headers=EN
        )
        assert page.status_code == 400, query
        assert "Choose the status, the kind and the time from the lists." in (
            page.get_data(as_text=True)
        )


def test_atom_feed_has_one_entry_per_item_in_the_requested_language(
    client, app, panel_world
):
    feed = client.get(f"/panels/{panel_world.panel.id}/outcomes.atom?lang=fi")
    assert feed.status_code == 200
    assert feed.content_type == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(feed.data)
    assert root.tag == f"{ATOM}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "fi"
    assert "Terveysraati" in root.find(f"{ATOM}title").text
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 5
    ids = {entry.find(f"{ATOM}id").text for entry in entries}
    assert len(ids) == 5
    base = app.config["PUBLIC_BASE_URL"]
    for entry in entries:
        for part in ("title", "updated", "summary"):
            assert entry.find(f"{ATOM}{part}").text
        assert entry.find(f"{ATOM}link").get("href").startswith(base)
    stopped = next(
        e
        for e in entries
        if e.find(f"{ATOM}id").text.endswith(f"idea-{panel_world.stopped}")
    )
    assert stopped.find(f"{ATOM}updated").text == "2026-02-20T12:00:00Z"
    summary = stopped.find(f"{ATOM}summary").text
    assert "Ei etene" in summary  # "Not going ahead", in Finnish
    assert "No staff for the evenings" in summary


def test_officials_see_stale_ideas_first_and_residents_do_not(
    client, login, create_user, panel_world, resident
):
    url = f"/panels/{panel_world.panel.id}/outcomes"
    login(create_user(Role.OFFICIAL))
    html = client.get(url, headers=EN).get_data(as_text=True)
    assert keys(html)[0] == f"idea-{panel_world.stale}"
    assert html.count("No status update in 60 days.") == 1
    assert f'href="/manage/panels/{panel_world.panel.id}/sessions/ideas#idea-' in html
    # Done and stopped ideas are not waiting for anyone, however old.
    assert 'class="card is-stale"' in html and html.count("is-stale") == 1

    login(resident)
    html = client.get(url, headers=EN).get_data(as_text=True)
    assert "No status update" not in html and "is-stale" not in html
    assert keys(html)[0] == f"idea-{panel_world.fresh}"


def test_process_page_tells_what_became_of_ideas_and_projects(
    client, resident, create_user
):
    world = build_process(resident, create_user(Role.RESIDENT))
    html = client.get(f"/pb/{world.process.id}/outcomes", headers=EN).get_data(
        as_text=True
    )
    assert set(keys(html)) == set(world.keys.values())

    def card(title: str) -> str:
        return html.split(f'id="{world.keys[title]}"')[1].split("</li>")[0]

    assert "Will not become a project" in card("Pool")
    assert "Too expensive" in card("Pool")
    assert "Too costly to keep up" in card("Skate park")
    assert "Cancelled" in card("Playground")
    assert "The site was sold" in card("Playground")
    # The idea went as far as its project, and is as recent.
    assert "Became a project: Cancelled" in card("Swings")
    assert "The site was sold" in card("Swings")
    assert "Feb 27, 2026" in card("Swings")


def test_personal_page_shows_only_the_persons_own_items(
    client, login, create_user, resident, panel_world
):
    other = create_user(Role.RESIDENT)
    world = build_process(resident, other)
    login(resident)
    html = client.get("/my/outcomes", headers=EN).get_data(as_text=True)
    shown = set(keys(html))
    pb = world.keys
    assert shown >= panel_world.keys("stopped", "stale", "done", "fresh", "suggestion")
    assert {pb["Swings"], pb["Pool"], pb["Playground"], pb["Skate park"]} <= shown
    assert pb["Library hours"] in shown  # followed, though not in their area
    assert pb["Sauna"] not in shown  # someone else's idea
    assert f"survey-{panel_world.survey}" not in shown
    assert "Suggested, waiting for the moderator" in html
    assert "You voted in this process" in html
    html = client.get("/my/outcomes?status=stopped&kind=proposal", headers=EN).get_data(
        as_text=True
    )
    # Swings stopped with the project it became; Pool was rejected.
    assert set(keys(html)) == {pb["Swings"], pb["Pool"]}

    login(other)
    html = client.get("/my/outcomes", headers=EN).get_data(as_text=True)
    assert set(keys(html)) == {pb["Sauna"]}
