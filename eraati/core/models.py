"""Column types and mixins shared by every domain."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Enum, TypeDecorator
from sqlalchemy.ext.mutable import MutableDict
from sqlalchemy.orm import Mapped, mapped_column

from eraati.core.time import as_utc, utcnow


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every backend (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = as_utc(value)
        # SQLite stores text: keep it naive UTC so that comparisons sort correctly.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> Any:
        return None if value is None else as_utc(value)


class TranslatedText(TypeDecorator):
    """Text written by officials in several languages: ``{"fi": ..., "sv": ...}``.

    Every domain uses this one type for multilingual content (panel names, questions,
    projects); :func:`translate` picks the reader's language with a fallback order.
    """

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Mapping[str, str] | None, dialect: Any) -> Any:
        if value is None:
            return None
        return {lang: text for lang, text in value.items() if text and text.strip()}

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        return dict(value or {})


def translated_column(**kwargs: Any) -> Mapped[dict[str, str]]:
    """A mutable multilingual column (in-place edits are saved)."""
    return mapped_column(MutableDict.as_mutable(TranslatedText()), **kwargs)


def translate(
    texts: Mapping[str, str] | None, locale: str, fallbacks: Iterable[str] = ()
) -> str:
    """The text in ``locale``, else in the first fallback language that has one.

    The order is: the reader's language, the fallbacks (the deployment's default,
    then fi, sv, en), then any language present, so a reader always sees something.
    """
    if not texts:
        return ""
    for lang in (locale, *fallbacks):
        if texts.get(lang):
            return texts[lang]
    return next((text for text in texts.values() if text), "")


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


def enum_type(enum_class: type[enum.Enum], length: int = 32) -> Enum:
    """A portable enum column: VARCHAR of the enum's values on every backend."""
    return Enum(
        enum_class,
        native_enum=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
    )
