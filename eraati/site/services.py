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
            "the Provision of Digital Services (306/2019), that is WCAG 2.1 level AA.\n\n"
            "The pages work on phones, with a keyboard, with a screen reader and "
            "without JavaScript. Text can be enlarged to 200 percent. Automated "
            "accessibility tests are run on every change.\n\n"
            "If you find something that is hard to use, tell us with the form below. "
            "If you give an email address, we answer within 14 days. If you are not "
            "satisfied with the answer, you can contact the supervisory authority, the "
            "Finnish Transport and Communications Agency Traficom "
            "(www.saavutettavuusvaatimukset.fi)."
        ),
    ),
    PageSlug.PRIVACY: (
        _l("Privacy notice"),
        _l(
            "Controller: the organisation that runs this service. Its contact details "
            "are given by the administrator of this service on this page.\n\n"
            "What we process and why: your email address, your name or pseudonym, your "
            "language and the choices you make on your profile, so that you can take "
            "part. The legal basis is the performance of a task in the public interest. "
            "Invitations to deeper participation are sent only with your consent, which "
            "you can withdraw at any time on your profile page.\n\n"
            "Answers to questionnaires are anonymous: they are not linked to you.\n\n"
            "How long: sign-in links are deleted a day after they expire. Your account "
            "is kept until you ask us to delete it.\n\n"
            "Your rights: you may ask to see, correct and delete your data. You may "
            "complain to the Data Protection Ombudsman (tietosuoja.fi)."
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
