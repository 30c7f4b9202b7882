"""Optional TOTP second factor (django-otp).

A user who has a confirmed TOTP device (``habeas totp add USER``) must enter a current code
after signing in with the password: :class:`OTPRequiredMiddleware` sends every page request of
such a user, until verified in this session, to :data:`VERIFY_PATH`, which it serves itself.
Users without a device sign in with their password alone. API token clients are not affected
(tokens are issued to programs by an administrator).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

VERIFY_PATH = "/account/verify/"
EXEMPT = ("/account/verify/", "/logout/", "/static/")


SESSION_KEY = "habeas_otp_required"


def on_login(sender, request, user, **kwargs):
    """At sign-in, note in the session whether the user has a confirmed device (one query per
    sign-in rather than per request; a device added later applies from the next sign-in)."""
    from django_otp import user_has_device

    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = user_has_device(user, confirmed=True)


def needs_otp(request) -> bool:
    user = request.user
    if not getattr(user, "is_authenticated", False) or not request.session.get(SESSION_KEY):
        return False
    return not getattr(user, "is_verified", lambda: False)()


class OTPRequiredMiddleware:
    """Place after ``django_otp.middleware.OTPMiddleware``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if not getattr(settings, "OTP_REQUIRED_FOR_ENROLLED", True) or not needs_otp(request):
            return self.get_response(request)
        if path == VERIFY_PATH:
            return verify_view(request)
        if path.startswith(EXEMPT):
            return self.get_response(request)
        if path.startswith("/api/"):
            return JsonResponse({"detail": "second factor required: verify at " + VERIFY_PATH}, status=403)
        return HttpResponseRedirect(f"{VERIFY_PATH}?next={request.get_full_path()}")


def verify_view(request):
    from django_otp import login as otp_login
    from django_otp import match_token

    next_url = request.POST.get("next") or request.GET.get("next") or settings.LOGIN_REDIRECT_URL
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = "/"
    error = ""
    if request.method == "POST":
        device = match_token(request.user, (request.POST.get("token") or "").strip())
        if device is not None:
            otp_login(request, device)
            from django.shortcuts import resolve_url

            return HttpResponseRedirect(resolve_url(next_url))
        error = "That code is not valid. Enter the current 6-digit code from your authenticator app."
    return render(request, "audit/otp_verify.html", {"next": next_url, "error": error},
                  status=200 if not error else 400)
