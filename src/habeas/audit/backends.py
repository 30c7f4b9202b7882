"""The login-throttling backend: django-axes' standalone backend, for sign-ins with a request.

Every sign-in over the web (the login page, the admin, the API's session login) passes the
request and is throttled. ``authenticate()`` without a request — scripts and the command line on
the server itself, where no client address exists — is passed on to the next backend instead of
failing with ``AxesBackendRequestParameterRequired``.
"""

from axes.backends import AxesStandaloneBackend


class AxesBackend(AxesStandaloneBackend):
    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
