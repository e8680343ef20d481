"""Locale selection, formatting filters and the language switcher.

Order of the reader's language: the signed-in person's preference, then an explicit
choice (``?lang=`` or the switcher, remembered in a cookie), then Accept-Language,
then the configured default.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache, lru_cache
from urllib.parse import urlencode

from babel import Locale, numbers
from flask import Flask, abort, current_app, g, request
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    get_locale,
    get_translations,
)
from flask_babel import gettext as _
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from eraati.config import LANGUAGES
from eraati.core.models import translate

LANGUAGE_COOKIE = "lang"
#: Each language named in itself, as a switcher should show it.
LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}


def select_locale() -> Locale:
    return _LOCALES[_reader_language()]


def _reader_language() -> str:
    user_language = getattr(current_user, "preferred_language", None)
    if user_language in LANGUAGES:
        return user_language
    chosen = g.get("chosen_language") or request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return (
        _best_language(request.headers.get("Accept-Language", ""))
        or current_app.config["DEFAULT_LANGUAGE"]
    )


#: Parsed once: Flask-Babel would parse the selected code again on every request.
_LOCALES = {language: Locale.parse(language) for language in LANGUAGES}


@lru_cache(maxsize=512)
def _best_language(accept_language: str) -> str | None:
    # Browsers send a handful of distinct headers; parsing one costs more than
    # the lookup (and the cache is bounded against made-up ones).
    return parse_accept_header(accept_language, LanguageAccept).best_match(LANGUAGES)


def select_timezone() -> str:
    # A string, not a ZoneInfo: Flask-Babel 4 normalises with pytz.
    return current_app.config["TIMEZONE"]


def current_language() -> str:
    locale = get_locale()
    if locale is None:
        return current_app.config["DEFAULT_LANGUAGE"]
    # The languages are bare codes ("fi"), so this is str(locale), at a third the cost.
    return locale.language


def fallback_languages() -> tuple[str, ...]:
    default = current_app.config["DEFAULT_LANGUAGE"]
    return (default, *(lang for lang in LANGUAGES if lang != default))


def text_in_reader_language(texts: dict[str, str] | None) -> str:
    return translate(texts, current_language(), fallback_languages())


def _remember_explicit_choice() -> None:
    """Handle ``?lang=``: refuse unknown values, remember a valid choice."""
    chosen = request.args.get("lang")
    if chosen is None:
        return
    if chosen not in LANGUAGES:
        abort(
            400,
            _("That language is not available. Choose Finnish, Swedish or English."),
        )
    g.chosen_language = chosen
    if current_user.is_authenticated and current_user.preferred_language != chosen:
        from eraati.extensions import db

        current_user.preferred_language = chosen
        db.session.commit()


def _set_language_cookie(response):
    chosen = g.get("chosen_language")
    if chosen and request.cookies.get(LANGUAGE_COOKIE) != chosen:
        response.set_cookie(
            LANGUAGE_COOKIE,
            chosen,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            httponly=True,
        )
    return response


def switch_language_url(language: str) -> str:
    """The current page in another language (the switcher's links)."""
    args = request.args.to_dict(flat=True)
    args["lang"] = language
    return f"{request.path}?{urlencode(args)}"


@cache  # one entry per language
def text_direction(language: str) -> str:
    return "rtl" if Locale.parse(language).character_order == "right-to-left" else "ltr"


def format_money(amount: Decimal | float | int) -> str:
    return _money(amount, current_language())


@lru_cache(maxsize=4096)
def _money(amount: Decimal | float | int, language: str) -> str:
    # Babel takes about 0.1 ms a sum; a ballot shows the same costs to every voter.
    return numbers.format_currency(amount, "EUR", locale=language)


def _page_gettext(translations):
    """Jinja's new-style ``_()`` with the page's catalog: Flask-Babel's own looks the
    catalog up again for every string, which costs more than translating it. Bound
    per render, so a page rendered under ``force_locale`` (mail) gets its language.
    Macros imported without context keep Flask-Babel's ``_()``."""

    @pass_context
    def gettext(context, string: str, **variables):
        text = translations.ugettext(string)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    return gettext


def init_app(app: Flask) -> None:
    app.before_request(_remember_explicit_choice)
    app.after_request(_set_language_cookie)
    app.jinja_env.filters.update(
        tr=text_in_reader_language,
        money=format_money,
        number=format_decimal,
        datetime=lambda value, fmt="medium": format_datetime(value, fmt),
        date=lambda value, fmt="medium": format_date(value, fmt),
    )

    @app.context_processor
    def language_context():
        language = current_language()
        return {
            "_": _page_gettext(get_translations()),
            "current_language": language,
            "text_direction": text_direction(language),
            "languages": LANGUAGE_NAMES,
            "switch_language_url": switch_language_url,
            "nbsp": Markup("&nbsp;"),
        }
