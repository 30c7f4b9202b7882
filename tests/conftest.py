"""Suite-wide settings."""

import os

import pytest
from hypothesis import settings

# In CI the property-based tests replay a fixed sequence of examples, so a run is reproducible
# and a red CI always means a change broke something; developers' runs keep exploring.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


# Users of the web and API tests: a case member, a user of no case, and an administrator.
@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.create_user("member", password="a-long-password-1")


@pytest.fixture
def outsider(django_user_model):
    return django_user_model.objects.create_user("outsider", password="a-long-password-2")


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("staffer", password="a-long-password-3", is_staff=True)
