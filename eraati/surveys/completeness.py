"""Pure per-language completeness of questions and questionnaires.

A language is complete when every required text (a question's text, a questionnaire's
title and purpose) and every option or matrix row label is written in it. Optional
texts (help, intro) count only once written in some language: then each language
needs them too, or readers of that language would miss what others see.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from eraati.config import LANGUAGES

Texts = Mapping[str, str] | None


def written_in(texts: Texts, language: str) -> bool:
    """Whether ``texts`` has a non-blank text in ``language``."""
    return bool(texts and (texts.get(language) or "").strip())


def _optional_ok(texts: Texts, language: str) -> bool:
    written = any((text or "").strip() for text in (texts or {}).values())
    return not written or written_in(texts, language)


def question_completeness(
    text: Texts,
    labels: Iterable[Texts] = (),
    help_text: Texts = None,
    languages: Iterable[str] = LANGUAGES,
) -> dict[str, bool]:
    """``{language: complete}`` for a question's text, help and option/row labels."""
    labels = list(labels)
    return {
        language: written_in(text, language)
        and _optional_ok(help_text, language)
        and all(written_in(label, language) for label in labels)
        for language in languages
    }


def questionnaire_completeness(
    title: Texts,
    purpose: Texts,
    intro: Texts = None,
    questions: Iterable[Mapping[str, bool]] = (),
    languages: Iterable[str] = LANGUAGES,
) -> dict[str, bool]:
    """``{language: complete}`` for a questionnaire's texts and all of its questions."""
    questions = list(questions)
    return {
        language: written_in(title, language)
        and written_in(purpose, language)
        and _optional_ok(intro, language)
        and all(status.get(language, False) for status in questions)
        for language in languages
    }


def summary(status: Mapping[str, bool]) -> str:
    """A compact text form, e.g. ``fi ✓ sv ✓ en –`` (what the pages show)."""
    return " ".join(f"{lang} {'✓' if ok else '–'}" for lang, ok in status.items())
