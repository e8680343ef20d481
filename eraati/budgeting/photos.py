"""Photos on proposals: the type is read from the file's first bytes, never from its
name; each photo is decoded and saved again without its metadata (phone photos carry
the place they were taken), and kept in the instance folder under a random name."""

from __future__ import annotations

import io
import secrets
import warnings
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError

#: Larger images are refused rather than decoded (a small file can unpack huge).
MAX_PIXELS = 40_000_000
PIL_FORMATS = {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}

#: Stored extension → the type the photo route serves it as.
MIME_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
FOLDER = "pb_photos"


class PhotoProblem(ValueError):
    """``code`` is "too_large" or "wrong_type"."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def sniff(data: bytes) -> str | None:
    """The extension for JPEG, PNG or WebP data; None for anything else."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def max_bytes() -> int:
    return int(current_app.config["PB_PHOTO_MAX_BYTES"])


def read_checked(stream) -> tuple[bytes, str]:
    """The photo's bytes and extension, or PhotoProblem; reads at most one byte more
    than the limit, so a large upload is never held in memory whole."""
    limit = max_bytes()
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise PhotoProblem("too_large")
    kind = sniff(data)
    if kind is None:
        raise PhotoProblem("wrong_type")
    return without_metadata(data, kind), kind


def without_metadata(data: bytes, kind: str) -> bytes:
    """The photo re-encoded upright with no EXIF, GPS or comments; PhotoProblem
    ("wrong_type") when it does not decode as the type its first bytes claim."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[PIL_FORMATS[kind]]) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise PhotoProblem("wrong_type")
                upright = ImageOps.exif_transpose(image)
                if kind == "jpg" and upright.mode not in ("RGB", "L"):
                    upright = upright.convert("RGB")
                out = io.BytesIO()
                upright.save(out, PIL_FORMATS[kind], quality=85)
    except PhotoProblem:
        raise
    except (
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        UnidentifiedImageError,
    ) as error:
        raise PhotoProblem("wrong_type") from error
    return out.getvalue()


def _folder() -> Path:
    return Path(current_app.instance_path) / FOLDER


def save(data: bytes, kind: str) -> str:
    """Write the photo; returns the stored name (random, with our extension)."""
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{kind}"
    (folder / name).write_bytes(data)
    return name


def path_of(name: str) -> Path | None:
    """The file of a stored name, if it is one of ours and still there."""
    stem, _dot, kind = name.partition(".")
    if kind not in MIME_TYPES or not stem.isalnum():
        return None
    path = _folder() / name
    return path if path.is_file() else None


def delete(name: str | None) -> None:
    path = path_of(name) if name else None
    if path is not None:
        path.unlink(missing_ok=True)
