from django.urls import path
from rest_framework.routers import SimpleRouter

from accounts.api import users

router = SimpleRouter()
router.register("", users.UserViewSet, basename="user")

urlpatterns = [
    path("<uuid:user_id>/estado/", users.UserActiveApi.as_view(), name="user-active"),
    path("<uuid:user_id>/niveles/", users.UserTiersApi.as_view(), name="user-tiers"),
    *router.urls,
]
