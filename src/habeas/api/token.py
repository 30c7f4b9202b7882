"""Token sign-in for programs, throttled like the web sign-in (django-axes)."""

from rest_framework import status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response


class ObtainToken(ObtainAuthToken):
    """POST username and password → {"token": …}; 429 while the sign-in is locked out."""

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError:
            if getattr(request, "axes_locked_out", False) or getattr(request._request, "axes_locked_out", False):
                return Response({"detail": "Too many failed sign-ins: this account is locked from this "
                                           "address for 30 minutes."}, status=status.HTTP_429_TOO_MANY_REQUESTS)
            raise
