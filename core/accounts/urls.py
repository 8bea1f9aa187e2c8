from django.urls import path

from config import converters  # noqa: F401 (registers <id:...>)
from core.accounts import views

urlpatterns = [
    path("auth/register/", views.RegisterView.as_view(), name="auth-register"),
    path("auth/token/", views.TokenObtainView.as_view(), name="auth-token"),
    path("auth/token/refresh/", views.TokenRefreshView.as_view(), name="auth-token-refresh"),
    path("auth/logout/", views.LogoutView.as_view(), name="auth-logout"),
    path("me/", views.MeView.as_view(), name="me"),
    path("me/password/", views.PasswordChangeView.as_view(), name="me-password"),
    path("me/app-passwords/", views.AppPasswordListCreateView.as_view(), name="app-passwords"),
    path(
        "me/app-passwords/<id:pk>/",
        views.AppPasswordDetailView.as_view(),
        name="app-password-detail",
    ),
]
