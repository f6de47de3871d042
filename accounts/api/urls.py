from django.urls import path

from accounts.api import views

urlpatterns = [
    path("login/", views.LoginApi.as_view(), name="auth-login"),
    path("registro/", views.SignupApi.as_view(), name="auth-signup"),
    path("refresh/", views.RefreshApi.as_view(), name="auth-refresh"),
    path("logout/", views.LogoutApi.as_view(), name="auth-logout"),
    path("logout-all/", views.LogoutAllApi.as_view(), name="auth-logout-all"),
    path("me/", views.MeApi.as_view(), name="auth-me"),
    path("sesiones/", views.SessionListApi.as_view(), name="auth-session-list"),
    path(
        "sesiones/<uuid:session_id>/",
        views.SessionEndApi.as_view(),
        name="auth-session-end",
    ),
    path("totp/", views.TotpStartApi.as_view(), name="auth-totp-start"),
    path("totp/confirm/", views.TotpConfirmApi.as_view(), name="auth-totp-confirm"),
]
