"""schemathesis against the OpenAPI schema at /api/schema/: generated requests to every operation of
the API, on a live server, signed in with a token — no server error (``not_a_server_error``).

Bounded: a few examples per operation (``HABEAS_SCHEMATHESIS_EXAMPLES``, default 6), so the whole
run stays well under a minute; raise it for a deeper search.
"""

from __future__ import annotations

import os

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

EXAMPLES = int(os.environ.get("HABEAS_SCHEMATHESIS_EXAMPLES", "6"))


@pytest.fixture
def token(live_server, django_user_model):
    from rest_framework.authtoken.models import Token

    from habeas.cases.demo import load_demo
    from habeas.cases.models import CaseMembership

    user = django_user_model.objects.create_user("fuzzer", password="x" * 12)
    case, _ = load_demo()  # real records, so small ids reach real rows
    CaseMembership.objects.create(case=case, user=user, role="attorney")
    return Token.objects.create(user=user).key


def test_api_has_no_server_error(live_server, token):
    headers = {"Authorization": f"Token {token}"}
    schema = schemathesis.openapi.from_url(live_server.url + "/api/schema/?format=json", headers=headers)
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case):
            case.call_and_validate(base_url=live_server.url, headers=headers, checks=[not_a_server_error],
                                   timeout=30)

        try:
            run()
        except Exception as exc:  # noqa: BLE001 — collect every operation's failure, then report
            failures.append(f"{operation.label}: {str(exc)[:1500]}")
    assert operations > 40
    assert not failures, "\n\n".join(failures)
