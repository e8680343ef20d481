"""The ``eraati`` command: a Flask CLI group with the admin commands."""

from __future__ import annotations

import gc
import os

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from eraati import create_app


def _create_app() -> Flask:
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """eRaati administration: serve, database, demo content and users."""


def register_commands(app: Flask) -> None:
    from eraati.mydata.cli import erase_user, export_user

    users.add_command(export_user)
    users.add_command(erase_user)
    app.cli.add_command(serve)
    app.cli.add_command(scheduler)
    app.cli.add_command(demo)
    app.cli.add_command(users)
    app.cli.add_command(run_job)
    app.cli.add_command(pb)
    app.cli.add_command(retention)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def serve(host: str, port: int) -> None:
    """Serve the app with Socket.IO (and the scheduler, unless it runs apart)."""
    from eraati.extensions import socketio
    from eraati.scheduler import build_scheduler

    app = current_app._get_current_object()
    background = None
    if app.config["SCHEDULER"] == "inprocess":
        background = build_scheduler(app)
        background.start()
    click.echo(f"eRaati is at http://{host}:{port}/ (Ctrl+C stops it)")
    gc.freeze()  # start-up objects stay: spare them every full collection (wsgi.py)
    # Flask refuses app.run() under its CLI; this command is meant to serve.
    os.environ.pop("FLASK_RUN_FROM_CLI", None)
    try:
        socketio.run(
            app, host=host, port=port, allow_unsafe_werkzeug=True, use_reloader=False
        )
    finally:
        if background is not None:
            background.shutdown(wait=False)


@click.command()
@with_appcontext
def scheduler() -> None:
    """Run the scheduled jobs in this process (one per deployment)."""
    from eraati.scheduler import build_scheduler

    app = current_app._get_current_object()
    blocking = build_scheduler(app, blocking=True)
    click.echo("Scheduler running: " + ", ".join(job.id for job in blocking.get_jobs()))
    blocking.start()


@click.command("run-job")
@click.argument("job_id")
@with_appcontext
def run_job(job_id: str) -> None:
    """Run one scheduled job now (they are safe to re-run)."""
    from eraati.scheduler import registered_jobs
    from eraati.scheduler import run_job as run

    jobs = {job.id: job for job in registered_jobs()}
    if job_id not in jobs:
        raise click.BadParameter(f"unknown job; known: {', '.join(sorted(jobs))}")
    result = run(current_app._get_current_object(), jobs[job_id])
    click.echo(f"{job_id}: {result}")


@click.command()
@with_appcontext
def demo() -> None:
    """Load demo content (idempotent) and print sign-in links for the demo users."""
    from eraati.demo import load_demo, print_demo_links

    load_demo(progress=click.progressbar)
    print_demo_links(click.echo)


@click.group()
def users() -> None:
    """Manage accounts."""


@users.command("create")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice(["resident", "moderator", "official", "council", "admin"]),
    default="resident",
    show_default=True,
)
@click.option("--name", default="", help="Display name or pseudonym.")
@click.option("--language", type=click.Choice(["fi", "sv", "en"]), default=None)
@with_appcontext
def create_user(email: str, role: str, name: str, language: str | None) -> None:
    """Create an account."""
    from eraati.accounts.services import AccountError
    from eraati.accounts.services import create_user as create
    from eraati.extensions import db

    try:
        user = create(email, role, name, language)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created {user.email} ({user.role.value}).")


@users.command("login-link")
@click.argument("email")
@with_appcontext
def login_link(email: str) -> None:
    """Print a one-time sign-in link for an existing account."""
    from eraati.accounts.services import create_login_token, find_user
    from eraati.accounts.services import login_link as link_for
    from eraati.core.time import utcnow
    from eraati.extensions import db

    user = find_user(email.strip())
    if user is None:
        raise click.ClickException(f"No account for {email}.")
    language = user.preferred_language or current_app.config["DEFAULT_LANGUAGE"]
    token = create_login_token(user.email, language, utcnow())
    db.session.commit()
    click.echo(link_for(token))


@click.group()
def pb() -> None:
    """Participatory budgeting: Pabulib import, export and counting."""


def _parse_pb(path: str, keep_voters: bool = False):
    from eraati.budgeting import pabulib

    try:
        return pabulib.load(path, keep_voters=keep_voters)
    except (OSError, UnicodeDecodeError) as error:
        raise click.ClickException(f"cannot read {path}: {error}") from error
    except pabulib.PabulibError as error:
        raise click.ClickException(f"{path}: {error}") from error


@pb.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
@with_appcontext
def pb_import(path: str) -> None:
    """Create a process with the file's projects and ballots (nothing on error)."""
    from eraati.budgeting.interop import import_file
    from eraati.extensions import db

    parsed = _parse_pb(path, keep_voters=True)
    with click.progressbar(length=1, label="Ballots") as bar:

        def progress(chunks):
            bar.length = len(chunks) or 1
            for chunk in chunks:
                yield chunk
                bar.update(1)

        process = import_file(parsed, progress)
    db.session.commit()
    click.echo(
        f"Imported process {process.id}: {len(parsed.election.projects)} projects."
    )


@pb.command("export")
@click.argument("process_id", type=int)
@with_appcontext
def pb_export(process_id: int) -> None:
    """Write the process as a Pabulib file to standard output (ballots shuffled)."""
    from eraati.budgeting.interop import export_process
    from eraati.budgeting.models import Process
    from eraati.extensions import db

    process = db.session.get(Process, process_id)
    if process is None:
        raise click.ClickException(f"no process {process_id}")
    click.echo(export_process(process), nl=False)


@pb.command("tally")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option(
    "--rule", type=click.Choice(["greedy", "mes-cost", "mes-approval"]), required=True
)
@click.option(
    "--completion", type=click.Choice(["none", "add1", "add1-greedy"]), default="none"
)
def pb_tally(path: str, rule: str, completion: str) -> None:
    """Count a Pabulib file and print the outcome as JSON (pabutools' meaning)."""
    import json
    import time

    from eraati.budgeting import tally

    parsed = _parse_pb(path)
    started = time.perf_counter()
    try:
        outcome = tally.count(parsed.election, rule, completion)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    seconds = time.perf_counter() - started
    total = outcome.total_cost
    click.echo(
        json.dumps(
            {
                "selected": list(outcome.selected),
                "total_cost": int(total) if total == int(total) else float(total),
                "rule": rule if completion == "none" else f"{rule}+{completion}",
                "seconds": round(seconds, 3),
            }
        )
    )


@click.group()
def retention() -> None:
    """Remove personal data past its retention period (ERAATI_RETENTION_*)."""


@retention.command("run")
@click.option("--now", "now_text", help="Apply as at this ISO time (default: now).")
@with_appcontext
def retention_run(now_text: str | None) -> None:
    """Apply the retention periods now, report to admins and print the counts."""
    from datetime import datetime

    from eraati.core.time import as_utc, utcnow
    from eraati.extensions import db
    from eraati.retention import run_retention

    try:
        now = as_utc(datetime.fromisoformat(now_text)) if now_text else utcnow()
    except ValueError as error:
        raise click.BadParameter("use an ISO time such as 2026-11-30T02:15") from error
    counts = run_retention(now)
    db.session.commit()
    for kind, count in counts.items():
        click.echo(f"{kind}: {count}")
