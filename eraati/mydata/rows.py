"""A helper the domains' ``personal_data`` modules share (no domain imports here)."""

from __future__ import annotations

from sqlalchemy import func, update

from eraati.extensions import db


def changed(statement) -> int:
    """Run a bulk UPDATE or DELETE and return how many rows it changed.

    Bulk statements skip the ORM's bookkeeping: an erasure may touch thousands of
    rows, and :func:`eraati.mydata.services.erase_account` expires the session after.
    """
    result = db.session.execute(statement.execution_options(synchronize_session=False))
    return result.rowcount or 0


#: What stands where a text someone wrote quoted their own email address.
ADDRESS_REMOVED = "[…]"


def without_address(column, email: str, *where) -> int:
    """Remove ``email`` from ``column`` in the rows matching ``where``: what a
    person wrote may stay after erasure, their address may not."""
    return changed(
        update(column.class_)
        .where(*where, column.contains(email, autoescape=True))
        .values({column.key: func.replace(column, email, ADDRESS_REMOVED)})
    )
