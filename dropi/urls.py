"""Root URL configuration: admin, health check, API and its documentation."""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from dropi.views import health

api_patterns: list[URLPattern | URLResolver] = [
    path("auth/", include("accounts.api.urls")),
    path("usuarios/", include("accounts.api.user_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("fraude/", include("fraud.api.urls")),
    path("", include("catalog.api.urls")),
    path("crm/", include("crm.api.urls")),
    path("rankings/", include("rankings.api.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("api/", include(api_patterns)),
]

handler400 = "dropi.api.errors.bad_request"
handler404 = "dropi.api.errors.not_found"
handler500 = "dropi.api.errors.server_error"
