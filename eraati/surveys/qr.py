"""QR codes as inline SVG, made on the server (no script, no image request)."""

from __future__ import annotations

import io

import segno
from markupsafe import Markup


def qr_svg(data: str, title: str) -> Markup:
    """The QR code of ``data`` as an accessible inline SVG that CSS sizes."""
    # segno escapes the title. The white background keeps the quiet zone light on
    # dark themes and coloured paper, which phone cameras need.
    code = segno.make(data, error="m")
    buffer = io.BytesIO()
    code.save(
        buffer,
        kind="svg",
        xmldecl=False,
        svgns=True,
        title=title,
        svgclass="qr-code",
        lineclass=None,
        omitsize=True,
        border=4,
        dark="#000",
        light="#fff",
    )
    svg = buffer.getvalue().decode().strip()
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))
