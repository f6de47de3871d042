"""Signal receivers of the accounts app; each only calls a service."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import RevokeReason, User
from accounts.services import token_family_revoke_all


@receiver(post_save, sender=User, dispatch_uid="accounts_password_changed")
def revoke_sessions_on_password_change(sender, instance: User, created: bool, **kwargs):
    """End every session when a password was just set and saved.

    ``set_password`` leaves the raw password in ``_password`` until the
    save completes (Django uses it for the validators' ``password_changed``
    hook), which tells a password change apart from any other save. Tokens
    already stop working through the ``hash_password`` claim; this also
    marks the sessions closed so the session list is right.
    """
    if created or getattr(instance, "_password", None) is None:
        return
    token_family_revoke_all(user=instance, reason=RevokeReason.PASSWORD_CHANGED)
