"""``eraati users export EMAIL`` and ``eraati users erase EMAIL``."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


def _find(email: str):
    from eraati.accounts.services import find_user

    user = find_user(email.strip())
    if user is None or user.erased_at is not None:
        raise click.ClickException(
            f"No account for {email} (it may have been erased already)."
        )
    return user


@click.command("export")
@click.argument("email")
@with_appcontext
def export_user(email: str) -> None:
    """Print what eRaati holds about an account, as JSON (docs/my-data-schema.md)."""
    from eraati.core.time import utcnow
    from eraati.extensions import db
    from eraati.mydata import services

    user = _find(email)
    data = services.export_data(user, utcnow())
    services.record_export(user, actor=None, requested_by="command_line")
    db.session.commit()
    click.echo(services.to_json(data))


@click.command("erase")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def erase_user(email: str, yes: bool) -> None:
    """Erase an account: its personal data removed or anonymised, a confirmation
    mailed to the address, the erasure recorded in the audit log."""
    from eraati.core.time import utcnow
    from eraati.extensions import db
    from eraati.mydata import services

    user = _find(email)
    user_id = user.id
    if not yes:
        click.confirm(
            f"Erase {user.email} and their personal data? This cannot be undone.",
            abort=True,
        )
    try:
        erasure = services.erase_account(user, utcnow(), requested_by="command_line")
    except services.AlreadyErased as error:
        db.session.rollback()
        raise click.ClickException(f"{email} was erased already.") from error
    except services.LastAdmin as error:
        raise click.ClickException(
            f"{email} is the only administrator: name another one first."
        ) from error
    db.session.commit()
    if services.confirm_erasure(erasure):
        click.echo(f"Erased account {user_id}; a confirmation was mailed.")
    else:
        click.echo(f"Erased account {user_id}; the confirmation mail failed (see log).")
    for domain, kinds in erasure.counts.items():
        for kind, rows in kinds.items():
            if rows:
                click.echo(f"{domain}.{kind}: {rows}")
