"""Two-factor authentication (TOTP) with django-otp.

Staff (federation roles, admin-site users and superusers) must present a
second factor when ``PORTAL["REQUIRE_2FA_FOR_STAFF"]`` is on; anyone else may
turn it on from the Security page and is then asked for it at sign-in too.
"""
