"""schemathesis against the drf-spectacular schema (/api/schema/), in process through the WSGI app, as each role.

Every operation of the schema is exercised for every role (token auth, ``Authorization: Token <key>``) with a few
derandomized hypothesis examples each, against a seeded world (``tests/api/conftest.py``: vacancies of three
firms, the training side, stored match lists, report snapshots, audit events). Each example runs in a savepoint
rolled back after it, so writes and deletes do not change what later examples meet. Checks: no 5xx
(``not_a_server_error``), the status code is documented, the content type and the body conform to the schema. The
test prints ``N/N operations``, the number of calls and of failures; it fails on any failure, listing them.
"""

import collections

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import seed_audit, seed_matches, seed_reports, seed_training

ROLES = ("anonymous", "student", "firm", "university", "government", "admin")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES_PER_ROLE = 3  # × 6 roles: 18 examples per operation


@pytest.fixture
def keep_test_connection():
    """A WSGI request closes the database connection when it ends; the test's transaction needs it open
    (Django's test client does the same)."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.slow
@pytest.mark.usefixtures("keep_test_connection")
def test_schemathesis_every_operation_as_every_role(world, capsys):
    seed_training(world)
    seed_matches(world)
    seed_reports(world)
    seed_audit(world)
    app = get_wsgi_application()
    schema = schemathesis.openapi.from_wsgi("/api/schema/", app)
    headers = {role: ({} if user is None else {"Authorization": f"Token {Token.objects.create(user=user).key}"})
               for role, user in world["users"].items() if role in ROLES}
    operations = [result.ok() for result in schema.get_all_operations()]
    exercised, calls, failures = set(), collections.Counter(), []

    for operation in operations:
        label = f"{operation.method.upper()} {operation.path}"
        for role in ROLES:
            _run_examples(operation, role, label, headers[role], exercised, calls, failures)

    with capsys.disabled():
        print(f"\nschemathesis: {len(exercised)}/{len(operations)} operations exercised as {len(ROLES)} roles, "
              f"{sum(calls.values())} calls ({dict(sorted(calls.items()))}), {len(failures)} failures")
    assert len(exercised) == len(operations)
    assert not failures, "\n\n".join(failures)


def _run_examples(operation, role, label, headers, exercised, calls, failures):
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES_PER_ROLE, derandomize=True, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def run(case):
        cache.clear()  # throttling counters: each example starts unthrottled
        with transaction.atomic():
            try:
                response = case.call(headers={**headers, "Accept-Language": "en"})
                calls[response.status_code // 100 * 100] += 1
                exercised.add(label)
                case.validate_response(response, checks=CHECKS)
            except (Exception, BaseExceptionGroup) as failure:  # recorded, not raised: no shrinking, all listed
                failures.append(f"{label} as {role}: {type(failure).__name__}: {str(failure)[:600]}")
            finally:
                transaction.set_rollback(True)

    run()
