"""Who may read rankings over the API."""

from rest_framework.permissions import BasePermission

from catalog.models import Store
from rankings.models import RankingKind

HISTORY_PERMISSION = "accounts.view_ranking_history"


class CanReadRankings(BasePermission):
    """Any signed-in user reads a ranking; histories are restricted.

    One entity's history needs ``accounts.view_ranking_history`` (premium,
    corporate and staff tiers), except a seller reading its own store's.
    """

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if view.action != "history" or user.has_perm(HISTORY_PERMISSION):
            return True
        pk = str(view.kwargs.get("pk", ""))
        if view.kind != RankingKind.SELLERS or not pk.isdigit() or len(pk) > 18:
            return False

        return Store.objects.filter(pk=int(pk), owner=user).exists()
