"""The peer test of issue 17: schemathesis fuzzes every operation of the served schema, with a token of
each persona, and checks no 5xx, documented status codes and content types, responses valid against the
schema, and no data from outside the persona's area. Bounded (a few examples per operation) to stay fast."""

import pytest
import schemathesis
from schemathesis import GenerationMode
from hypothesis import HealthCheck, given, settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from lindung.api.tokens import create_token

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
NEGATIVE_CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]

# What each persona must never receive: names of candidates outside its area.
FOREIGN = {
    "admin_a": ["Orang PPU"], "operator_a": ["Orang PPU"], "verifier_a": ["Orang PPU"], "bpkad_a": ["Orang PPU"],
    "auditor_a": ["Orang PPU"], "desa_a": ["Orang PPU", "Siti Aminah"], "outsider": ["Budi Santoso", "Siti Aminah"],
}


@pytest.fixture
def api_schema(db, people, calon, settings):
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    settings.API_BATAS_PER_MENIT = 0
    # As Django's test client does: the app must not close the test's connection (PostgreSQL) between requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(people, api_schema):
    return {name: create_token(user=getattr(people, name), nama="schemathesis", write=True, days=1)[1] for name in FOREIGN}


def _exercise(operation, tokens, mode, examples: int, checks) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis_settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                         suppress_health_check=list(HealthCheck))
    def exercise(case):
        for persona, secret in tokens.items():
            headers = {"Authorization": f"Bearer {secret}"}
            response = case.call(headers=headers)
            case.validate_response(response, checks=checks, headers=headers)
            for name in FOREIGN[persona]:
                assert name not in response.text, f"{persona} received {name!r} from {case.method} {case.path}"

    exercise()


def test_the_api_keeps_its_schema_for_every_persona(api_schema, tokens):
    # Each operation's strategy driven by hypothesis here (schemathesis' pytest plugin does not load on pytest 9).
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 18
    for operation in operations:
        _exercise(operation, tokens, GenerationMode.POSITIVE, 3, CHECKS)
        # Data that breaks the schema: a documented 4xx with the error body, never a 5xx.
        _exercise(operation, tokens, GenerationMode.NEGATIVE, 2, NEGATIVE_CHECKS)
