"""The signed-in person's own pages: sign in (lockout and language aware), the profile page (language,
API token, password) and its small forms. Nothing here touches plan data.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.translation import activate, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View

from nsp import accounts
from nsp.forms import LanguagePreferenceForm


class LoginView(auth_views.LoginView):
    """Django's login; after it, the pages speak the language the person chose on their profile."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        return accounts.remember_language(response, accounts.preferred_language(form.get_user()))


class ProfileView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        context = {
            "title": _("Your profile"),
            "sections": accounts.sections(request),
            "locked_out": accounts.locked_out(username=request.user.get_username()),
        }
        return TemplateResponse(request, "accounts/profile.html", context)


class LanguageView(View):
    def post(self, request: HttpRequest) -> HttpResponse:
        form = LanguagePreferenceForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose one of the languages offered."))
            return HttpResponseRedirect(reverse("accounts:profile") + "#language")
        language = accounts.language_set(user=request.user, language=form.cleaned_data["language"])
        if language:
            activate(language)
        messages.success(request, _("Your language is saved."))
        response = HttpResponseRedirect(reverse("accounts:profile") + "#language")
        return accounts.remember_language(response, language)


class TokenView(View):
    """Create (renew) or revoke the person's API token."""

    def post(self, request: HttpRequest) -> HttpResponse:
        if request.POST.get("action") == "revoke":
            if accounts.token_revoke(user=request.user):
                messages.success(
                    request, _("Your API token is revoked; programs that used it are refused from now on.")
                )
        else:
            accounts.token_renew(user=request.user)
            messages.success(request, _("A new API token is ready; the previous one no longer works."))
        return HttpResponseRedirect(reverse("accounts:profile") + "#token")


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("accounts:password_change_done")
    extra_context = {"title": gettext_lazy("Change your password")}


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    extra_context = {"title": gettext_lazy("Your password is changed")}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link an administrator hands over (the user's page in the admin): choose a new password."""

    success_url = reverse_lazy("accounts:password_reset_complete")
    extra_context = {"title": gettext_lazy("Choose a new password")}


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    extra_context = {"title": gettext_lazy("Your new password is set")}
