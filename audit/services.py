"""Write audit events; nothing else ever writes the audit table."""

import json
import logging
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from audit.context import audit_context_get
from audit.models import AuditAction, AuditEvent
from fraud.client import client_address_get, client_user_agent_get

logger = logging.getLogger(__name__)

REDACTED = "********"
SECRET_FIELDS = frozenset({"password", "key", "secret", "token"})


def _json_safe(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def audit_snapshot(obj: models.Model) -> dict[str, Any]:
    """Return the stored fields of ``obj`` as JSON values, secrets redacted."""
    data: dict[str, Any] = {}
    for model_field in obj._meta.concrete_fields:
        name = model_field.attname
        if model_field.name in SECRET_FIELDS:
            data[name] = REDACTED
            continue
        data[name] = model_field.value_from_object(obj)

    return _json_safe(data)


def audit_diff(
    before: dict[str, Any], after: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Keep only the fields whose value changed, as (before, after)."""
    changed = [key for key in after if before.get(key) != after.get(key)]
    return (
        {key: before.get(key) for key in changed},
        {key: after.get(key) for key in changed},
    )


def audit_object_type(obj: models.Model) -> str:
    return obj._meta.label_lower


def _actor_of(request: Any) -> Any:
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return None


def audit_event_record(
    *,
    action: str,
    actor: Any = None,
    request: Any = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
    primary: bool = False,
) -> AuditEvent | None:
    """Append one event; actor and address default to the current request.

    ``primary`` marks the change an API request exists to make (as opposed
    to a side effect): during an API write the first primary event is
    deferred (``None`` is returned) and the audit middleware writes it once
    the response is known, as that request's one row.
    """
    current = audit_context_get()
    if (
        primary
        and current is not None
        and current.is_api_write
        and current.pending is None
        and action != AuditAction.API_WRITE
    ):
        current.pending = {
            "action": action,
            "actor": actor,
            "obj": obj,
            "object_type": object_type,
            "object_id": object_id,
            "object_repr": object_repr,
            "before": before,
            "after": after,
            "context": context or {},
        }
        return None
    if request is None:
        request = current.request if current else None
    if actor is None and request is not None:
        actor = _actor_of(request)
    if obj is not None:
        object_type = object_type or audit_object_type(obj)
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:255]

    event = AuditEvent.objects.create(
        action=action,
        actor_id=str(actor.pk) if actor is not None else "",
        actor_repr=str(actor)[:254] if actor is not None else "",
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:255],
        before=_json_safe(before) if before is not None else None,
        after=_json_safe(after) if after is not None else None,
        address=client_address_get(request) if request is not None else None,
        user_agent=client_user_agent_get(request) if request is not None else "",
        context=_json_safe(context or {}),
    )
    logger.info(
        "Audit event recorded", extra={"audit_event_id": event.pk, "action": action}
    )

    return event


def audit_change_note(
    *,
    obj: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    """Give the audit trail the before/after of a change a service made.

    Inside an API write the values become that request's single audit row;
    anywhere else (a command, a task) they are recorded on their own.
    """
    audit_event_record(
        action=AuditAction.SERVICE_CHANGE,
        obj=obj,
        before=before,
        after=after,
        primary=True,
    )
