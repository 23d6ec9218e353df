"""The sign-in backends: django-axes' lock-out in front of Django's own password check."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """Refuse a sign-in of an account locked out from this client address (django-axes).

    Lock-out is per account and address, so it needs the HTTP request; every sign-in view
    passes it. Code that checks a password without one (``Client.login`` in tests, a shell)
    has no address to lock and falls through to the next backend instead of failing.
    """

    def authenticate(self, request=None, *args, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)
