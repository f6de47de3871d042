"""Signal receivers: admin changes field by field, group and permission edits.

Receivers only translate signals into ``audit.services`` calls.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from audit.context import audit_context_get
from audit.models import AuditAction
from audit.services import (
    audit_diff,
    audit_event_record,
    audit_object_type,
    audit_snapshot,
)

# Tables that must not be captured: the trail itself and bookkeeping rows
# Django writes on every admin request.
SKIPPED_MODELS = frozenset(
    {"audit.auditevent", "admin.logentry", "sessions.session", "axes.accesslog"}
)


def _capturing(instance: Model) -> bool:
    context = audit_context_get()
    return (
        context is not None
        and context.is_admin_write
        and not context.suppressed
        and audit_object_type(instance) not in SKIPPED_MODELS
    )


def _key(instance: Model) -> tuple[str, str]:
    return audit_object_type(instance), str(instance.pk)


@receiver(pre_save, dispatch_uid="audit_admin_pre_save")
def admin_pre_save(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if kwargs.get("raw") or not _capturing(instance) or instance._state.adding:
        return
    stored = type(instance)._base_manager.filter(pk=instance.pk).first()
    if stored is not None:
        audit_context_get().snapshots[_key(instance)] = audit_snapshot(stored)  # type: ignore[union-attr]


@receiver(post_save, dispatch_uid="audit_admin_post_save")
def admin_post_save(
    sender: type[Model], instance: Model, created: bool, **kwargs: Any
) -> None:
    if kwargs.get("raw") or not _capturing(instance):
        return
    after = audit_snapshot(instance)
    if created:
        audit_event_record(action=AuditAction.ADMIN_ADD, obj=instance, after=after)
        return
    stored = audit_context_get().snapshots.pop(_key(instance), {})  # type: ignore[union-attr]
    # Timestamps the model sets on every save are not a change anyone made.
    for model_field in instance._meta.concrete_fields:
        if getattr(model_field, "auto_now", False):
            after.pop(model_field.attname, None)
    before, after = audit_diff(stored, after)
    if before or after:
        audit_event_record(
            action=AuditAction.ADMIN_CHANGE, obj=instance, before=before, after=after
        )


@receiver(post_delete, dispatch_uid="audit_admin_post_delete")
def admin_post_delete(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if not _capturing(instance):
        return
    audit_event_record(
        action=AuditAction.ADMIN_DELETE, obj=instance, before=audit_snapshot(instance)
    )


def _names(model: type[Model], pks: set[Any]) -> list[str]:
    return sorted(str(row) for row in model._base_manager.filter(pk__in=pks))


def _m2m_record(
    *,
    action_code: str,
    instance: Model,
    related: type[Model],
    current_pks: set[Any],
    action: str,
    pk_set: set[Any] | None,
    before: set[Any] | None,
) -> None:
    if before is not None:
        # The set as it was just before the change (stashed on pre_*).
        before_pks = before
    elif action == "post_add":
        before_pks = current_pks - (pk_set or set())
    elif action == "post_remove":
        # pk_set holds every id asked for, members or not.
        before_pks = current_pks | (pk_set or set())
    else:
        before_pks = set()
    if before_pks == current_pks:
        return
    audit_event_record(
        action=action_code,
        obj=instance,
        before={"items": _names(related, before_pks)},
        after={"items": _names(related, current_pks)},
    )


def _m2m_changed(
    *,
    action_code: str,
    field_name: str,
    instance: Model,
    model: type[Model],
    action: str,
    reverse: bool,
    pk_set: set[Any] | None,
) -> None:
    if reverse:
        # Changed from the other side (group.user_set.add(...)): record on
        # each affected row of the forward side.
        if action not in {"post_add", "post_remove"}:
            return
        for owner in model._base_manager.filter(pk__in=pk_set or set()):
            current = set(getattr(owner, field_name).values_list("pk", flat=True))
            _m2m_record(
                action_code=action_code,
                instance=owner,
                related=type(instance),
                current_pks=current,
                action=action,
                pk_set={instance.pk},
                before=None,
            )
        return
    stash = f"_audit_before_{field_name}"
    if action in {"pre_clear", "pre_add", "pre_remove"}:
        current = set(getattr(instance, field_name).values_list("pk", flat=True))
        setattr(instance, stash, current)
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    current = set(getattr(instance, field_name).values_list("pk", flat=True))
    _m2m_record(
        action_code=action_code,
        instance=instance,
        related=model,
        current_pks=current,
        action=action,
        pk_set=pk_set,
        before=getattr(instance, stash, None),
    )
    if hasattr(instance, stash):
        delattr(instance, stash)


def _m2m_receiver(action_code: str, field_name: str) -> Any:
    def handle(instance: Model, model: type[Model], **kwargs: Any) -> None:
        _m2m_changed(
            action_code=action_code,
            field_name=field_name,
            instance=instance,
            model=model,
            action=kwargs["action"],
            reverse=kwargs["reverse"],
            pk_set=kwargs["pk_set"],
        )

    return handle


User = get_user_model()
M2M_AUDITED = [
    (User.groups.through, AuditAction.GROUPS_CHANGE, "groups"),
    (
        User.user_permissions.through,
        AuditAction.USER_PERMISSIONS_CHANGE,
        "user_permissions",
    ),
    (Group.permissions.through, AuditAction.GROUP_PERMISSIONS_CHANGE, "permissions"),
]
_M2M_RECEIVERS = [_m2m_receiver(code, name) for _through, code, name in M2M_AUDITED]
for (through, code, _name), handler in zip(M2M_AUDITED, _M2M_RECEIVERS, strict=True):
    m2m_changed.connect(handler, sender=through, dispatch_uid=f"audit_m2m_{code}")
