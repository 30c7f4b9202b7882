import datetime as dt

import pytest

from habeas.cases.models import Case, CaseMembership


@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.create_user("attorney", password="a-long-password-1")


@pytest.fixture
def outsider(django_user_model):
    return django_user_model.objects.create_user("outsider", password="a-long-password-2")


@pytest.fixture
def case(member):
    c = Case.objects.create(caption="People v. Roe", jurisdiction="California")
    CaseMembership.objects.create(case=c, user=member)
    return c


@pytest.fixture
def other_case():
    return Case.objects.create(caption="People v. Other", jurisdiction="California")


@pytest.fixture
def client_in(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def today():
    return dt.date.today()


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
