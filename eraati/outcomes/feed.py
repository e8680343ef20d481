"""Atom feeds (RFC 4287) of the public outcome pages, built with the standard library.

Entry ids are tag URIs (RFC 4151) made of the deployment's host and the item's key,
so that an entry keeps its id when its page moves or its status changes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _

from eraati.outcomes import labels
from eraati.outcomes.items import Outcome

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CONTENT_TYPE = "application/atom+xml; charset=utf-8"
#: The date part of every tag URI: any fixed day on which the host was ours.
TAG_DATE = "2026"


def _tag(name: str) -> str:
    return f"{{{ATOM_NS}}}{name}"


def _timestamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def absolute(path: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def tag_uri(key: str) -> str:
    host = urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname or "localhost"
    return f"tag:{host},{TAG_DATE}:{key}"


def summary(item: Outcome) -> str:
    """What became of it, in the reader's language."""
    lines = [
        str(labels.KIND[item.kind]),
        _("Status: %(status)s", status=item.status),
    ]
    if item.reason:
        lines.append(_("Reason: %(reason)s", reason=item.reason))
    if item.note:
        lines.append(item.note)
    return "\n".join(lines)


def atom_feed(
    *,
    key: str,
    title: str,
    page: str,
    self_link: str,
    language: str,
    items: Iterable[Outcome],
    fallback_updated: datetime,
) -> bytes:
    """The feed document; ``page`` and ``self_link`` are paths on this site."""
    items = list(items)
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(_tag("feed"), {XML_LANG: language})
    ET.SubElement(feed, _tag("id")).text = tag_uri(key)
    ET.SubElement(feed, _tag("title")).text = title
    updated = max((item.updated for item in items), default=fallback_updated)
    ET.SubElement(feed, _tag("updated")).text = _timestamp(updated)
    ET.SubElement(feed, _tag("link"), rel="alternate", href=absolute(page))
    ET.SubElement(feed, _tag("link"), rel="self", href=absolute(self_link))
    author = ET.SubElement(feed, _tag("author"))
    ET.SubElement(author, _tag("name")).text = current_app.config["ORGANISATION_NAME"]
    for item in items:
        entry = ET.SubElement(feed, _tag("entry"))
        ET.SubElement(entry, _tag("id")).text = tag_uri(item.key)
        ET.SubElement(entry, _tag("title")).text = item.title
        ET.SubElement(entry, _tag("updated")).text = _timestamp(item.updated)
        ET.SubElement(entry, _tag("link"), rel="alternate", href=absolute(item.link))
        ET.SubElement(
            entry,
            _tag("category"),
            term=item.kind.value,
            label=str(labels.KIND[item.kind]),
        )
        ET.SubElement(entry, _tag("summary"), type="text").text = summary(item)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
