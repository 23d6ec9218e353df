"""Identity: sign-in (django-allauth), single sign-on per partner, MFA, lock-out and the sign-in audit."""
