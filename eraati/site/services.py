"""The statutory pages: stored text if an admin wrote it, else a default in each language."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from eraati.config import LANGUAGES
from eraati.extensions import db
from eraati.site.models import Page, PageSlug

DEFAULT_PAGES = {
    PageSlug.ACCESSIBILITY: (
        _l("Accessibility statement"),
        _l(
            "This service aims to meet the accessibility requirements of the Act on "
            "the Provision of Digital Services (306/2019) and WCAG 2.1 level AA.\n\n"
            "The pages work on phones, with a keyboard, with a screen reader and "
            "without JavaScript. Text can be enlarged to 200 percent.\n\n"
            "If you find something that is hard to use, tell us with the form below. "
            "We answer within 14 days. If you are not satisfied with the answer, you "
            "can contact the supervisory authority, the Finnish Transport and "
            "Communications Agency Traficom (saavutettavuus.fi)."
        ),
    ),
    PageSlug.PRIVACY: (
        _l("Privacy notice"),
        _l(
            "The controller is the organisation that runs this service.\n\n"
            "We process your email address, your name or pseudonym, your language "
            "and the choices you make on your profile so that you can take part. "
            "Answers to questionnaires are anonymous: they are not linked to you. "
            "Ballots are secret.\n\n"
            "You can see, download and delete your data. Invitations to deeper "
            "participation need your consent, which you can withdraw at any time."
        ),
    ),
}


def default_texts(slug: PageSlug) -> tuple[dict[str, str], dict[str, str]]:
    title, body = DEFAULT_PAGES[slug]
    titles, bodies = {}, {}
    for language in LANGUAGES:
        with force_locale(language):
            titles[language], bodies[language] = str(title), str(body)
    return titles, bodies


def get_page(slug: PageSlug) -> Page:
    """The stored page, or an unsaved one holding the default texts."""
    page = db.session.scalar(select(Page).where(Page.slug == slug))
    if page is None:
        titles, bodies = default_texts(slug)
        page = Page(slug=slug, title=titles, body=bodies)
    return page
