"""The person's own pages: sign in and out, the profile (language, API token, password), password reset
by a link an administrator hands over. Names in the ``accounts`` namespace (``accounts:login``); the views
that Django's would send to a bare name (``password_change_done``, ``password_reset_complete``) say where
with ``success_url`` (nsp/views_accounts.py)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from nsp import views_accounts as views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("profile/language/", views.LanguageView.as_view(), name="profile-language"),
    path("profile/token/", views.TokenView.as_view(), name="profile-token"),
    path("password_change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password_change/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
