"""Accounts: Argon2 hashes, login throttling (django-axes), optional TOTP, sessions, deploy checks."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import override_settings

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user("ada", password=PASSWORD)


def test_passwords_are_hashed_with_argon2(user):
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert user.password.startswith("argon2$argon2id$")


def test_an_old_pbkdf2_hash_still_verifies_and_is_upgraded(user, client):
    from django.contrib.auth.hashers import make_password

    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save()
    assert client.post("/login/", {"username": "ada", "password": PASSWORD}).status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$")


def test_login_is_throttled_after_repeated_failures(user, client):
    from axes.models import AccessAttempt

    from axes.backends import AxesStandaloneBackend
    from django.utils.module_loading import import_string

    assert issubclass(import_string(settings.AUTHENTICATION_BACKENDS[0]), AxesStandaloneBackend)
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "ada", "password": "wrong"}, REMOTE_ADDR="203.0.113.9")
    locked = client.post("/login/", {"username": "ada", "password": PASSWORD}, REMOTE_ADDR="203.0.113.9")
    assert locked.status_code == 429  # even the right password is refused while locked out
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.filter(username="ada").exists()
    # another address is not locked out of the account (lockout is per username and address)
    other = client.post("/login/", {"username": "ada", "password": PASSWORD}, REMOTE_ADDR="203.0.113.10")
    assert other.status_code == 302


def test_sessions_expire(user):
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY


def test_totp_is_required_once_enrolled(user, client):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert client.post("/login/", {"username": "ada", "password": PASSWORD}).status_code == 302
    assert client.get("/").status_code == 200  # no device: the password is enough
    client.logout()

    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.post("/login/", {"username": "ada", "password": PASSWORD})
    resp = client.get("/")
    assert resp.status_code == 302 and resp["Location"].startswith("/account/verify/")
    assert client.get("/api/cases/").status_code == 403
    page = client.get(resp["Location"])
    assert page.status_code == 200 and b"authenticator" in page.content
    bad = client.post("/account/verify/", {"token": "000000", "next": "/"})
    assert bad.status_code == 400
    device.refresh_from_db()
    device.throttle_reset()  # django-otp also throttles wrong codes per device
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    good = client.post("/account/verify/", {"token": f"{totp.token():06d}", "next": "/"})
    assert good.status_code == 302 and good["Location"] == "/"
    assert client.get("/").status_code == 200


def test_verify_page_does_not_redirect_off_site(user, client):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.post("/login/", {"username": "ada", "password": PASSWORD})
    page = client.get("/account/verify/?next=https://evil.example/")
    assert b"evil.example" not in page.content


def test_totp_cli_enrols_and_removes(user, capsys):
    from django_otp import user_has_device

    from habeas.cli import main

    assert main(["totp", "add", "ada"]) == 0
    assert "otpauth://totp/" in capsys.readouterr().out
    assert user_has_device(user, confirmed=True)
    assert main(["totp", "remove", "ada"]) == 0
    assert not user_has_device(user, confirmed=True)


def test_check_passes_on_production_settings(tmp_path):
    """One subprocess: HABEAS_PRODUCTION=1 turns on transport security and `habeas check` passes."""
    import os
    import subprocess
    import sys

    code = ("import sys; from habeas.cli import setup_django, main; setup_django(); "
            "from django.conf import settings as s; "
            "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
            "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD); sys.exit(main(['check']))")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HABEAS_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update(HABEAS_HOME=str(tmp_path), HABEAS_PRODUCTION="1", HABEAS_ALLOWED_HOSTS="habeas.example.org")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr + done.stdout
    first, *rest = done.stdout.splitlines()
    assert first.split() == ["True", "True", "True", "31536000", "True", "True"]
    assert "no issues" in done.stdout


def test_check_fails_on_development_settings(capsys):
    from habeas.cli import main

    assert main(["check"]) == 1  # the test settings are the development defaults
    err = capsys.readouterr().err
    assert "SECURE_HSTS_SECONDS" in err and "SESSION_COOKIE_SECURE" in err and "habeas: " in err


@override_settings(AXES_ENABLED=True)
def test_axes_enabled_by_default():
    assert settings.AXES_ENABLED
