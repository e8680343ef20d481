"""Addresses: absolute links for mail and the command line, built from the public
base URL, and ``url_for`` for templates with the page layout's fixed addresses
built once."""

from __future__ import annotations

from flask import current_app, has_request_context, request, url_for


def public_url(endpoint: str, **values) -> str:
    """The address a person opens from a mail, also outside a request (jobs, CLI)."""
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        with current_app.test_request_context("/"):
            path = url_for(endpoint, **values)
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


#: Fixed addresses by (mount point, endpoint, static file name).
_built: dict[tuple[str, str, str | None], str] = {}


def template_url_for(endpoint: str, **values) -> str:
    """``url_for`` as templates call it.

    Every page's header and footer ask for the same handful of addresses (the
    style sheet, the front page, the footer links), and building one walks the URL
    map at about the cost of rendering a dozen strings. So an address that takes no
    values, or only a static file's name, is built once per mount point. Any other
    value, or an endpoint relative to the current blueprint, is built as usual.
    """
    fixed = not values or (endpoint == "static" and values.keys() == {"filename"})
    if not fixed or endpoint.startswith(".") or not has_request_context():
        return url_for(endpoint, **values)
    # The keys come from the templates (a fixed set), never from a request.
    key = (request.script_root, endpoint, values.get("filename"))
    address = _built.get(key)
    if address is None:
        address = _built[key] = url_for(endpoint, **values)
    return address
