"""Who may read CRM data over the API."""

from rest_framework.permissions import BasePermission

from crm import permissions as perms


class IsStaffWithCustomerView(BasePermission):
    """Staff members whose groups grant ``crm.view_customer``."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and user.is_staff
            and user.has_perm(perms.CUSTOMER_VIEW)
        )
