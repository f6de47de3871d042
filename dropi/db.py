"""Helpers for reading database errors raised by PostgreSQL (psycopg 3)."""

from django.db import IntegrityError


def violates_constraint(error: IntegrityError, name: str) -> bool:
    """Tell whether the constraint called ``name`` raised ``error``.

    psycopg attaches the server's diagnostics to the exception Django wraps;
    the constraint name there is how a service tells a taken unique value
    from any other integrity failure.
    """
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None) == name
