"""What the audit trail knows about the request being served.

The middleware opens a context per request; services and signal receivers
read it to learn the actor and address, whether the request is an admin
write, and to hand over the before/after of an API write.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


@dataclass
class AuditRequestContext:
    request: Any
    is_admin_write: bool = False
    is_api_write: bool = False
    suppressed: int = 0
    # The event a service recorded during an API write, written by the
    # middleware as that request's single row (with method, path, status).
    pending: dict[str, Any] | None = None
    snapshots: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)


_current: ContextVar[AuditRequestContext | None] = ContextVar(
    "audit_request_context", default=None
)


def audit_context_get() -> AuditRequestContext | None:
    return _current.get()


@contextmanager
def audit_context_open(context: AuditRequestContext) -> Iterator[AuditRequestContext]:
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


@contextmanager
def audit_capture_suppressed() -> Iterator[None]:
    """Stop the generic admin capture while a service audits itself."""
    context = _current.get()
    if context is None:
        yield
        return
    context.suppressed += 1
    try:
        yield
    finally:
        context.suppressed -= 1
