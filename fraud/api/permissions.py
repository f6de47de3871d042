from rest_framework.permissions import BasePermission

from fraud.permissions import DECIDE_FRAUD_CASE


class CanDecideFraudCase(BasePermission):
    """Allow staff holding the permission to change fraud cases."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and user.is_staff
            and user.has_perm(DECIDE_FRAUD_CASE)
        )
