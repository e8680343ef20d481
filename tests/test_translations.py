"""The fi, sv and en catalogs are complete: every string in the code is translated."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("fi", "sv", "en")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set:
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    command = [
        str(pybabel),
        "extract",
        "-F",
        "babel.cfg",
        "-k",
        "_l",
        "-o",
        str(pot),
        ".",
    ]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as handle:
        return {message.id for message in read_po(handle) if message.id}


def catalog(language: str):
    with (ROOT / "translations" / language / "LC_MESSAGES" / "messages.po").open(
        "rb"
    ) as f:
        return read_po(f, locale=language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated(extracted, language):
    messages = {message.id: message for message in catalog(language) if message.id}
    missing = sorted(str(m) for m in extracted - set(messages))
    assert not missing, f"run `make catalog` and translate: {missing[:10]}"
    untranslated = [
        str(message.id)
        for message in messages.values()
        if message.fuzzy
        or not (
            all(message.string) if isinstance(message.id, tuple) else message.string
        )
    ]
    assert not untranslated, f"{language}: untranslated or fuzzy: {untranslated[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language):
    import re

    pattern = re.compile(r"%\((\w+)\)[sd]")
    for message in catalog(language):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = (
            message.string if isinstance(message.string, tuple) else (message.string,)
        )
        wanted = set(pattern.findall(ids[-1]))
        for text in strings:
            assert set(pattern.findall(text)) <= wanted | set(
                pattern.findall(ids[0])
            ), (
                language,
                message.id,
                text,
            )


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogs_exist(language):
    assert (ROOT / "translations" / language / "LC_MESSAGES" / "messages.mo").exists()
