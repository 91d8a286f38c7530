"""The OpenAPI schema: generates with zero warnings, is served, and documents every status the API answers."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from drf_spectacular.generators import SchemaGenerator

from tests.api.test_permission_matrix import MATRIX, OPERATIONS


def test_schema_generates_and_validates_with_zero_warnings(tmp_path):
    """The exact command CI runs: ``manage.py spectacular --validate --fail-on-warn``."""
    out = tmp_path / "schema.yml"
    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn", "--file", str(out)],
        cwd=Path(settings.BASE_DIR), capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warnings" not in result.stderr, result.stderr
    schema = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert "/api/v1/vacancies/{id}/publish/" in schema["paths"]


@pytest.mark.django_db
def test_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"openapi: 3" in schema.content
    assert client.get("/api/docs/").status_code == 200


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_every_status_in_the_permission_matrix_is_documented(schema):
    """What a role can get back from an operation is listed in that operation's responses."""
    missing = []
    for (operation, target), expected in MATRIX.items():
        op = OPERATIONS[operation]
        documented = set(schema["paths"][op.path][op.method]["responses"])
        for role, code in expected.items():
            if str(code) not in documented:
                missing.append(f"{op.method.upper()} {op.path}: {code} ({role} on {target})")
    assert missing == []


def test_skill_codes_with_dots_and_colons_are_documented_as_path_strings(schema):
    [parameter] = schema["paths"]["/api/v1/skills/{code}/"]["get"]["parameters"]
    assert parameter["schema"]["type"] == "string"


def test_error_answers_have_a_schema(schema):
    create = schema["paths"]["/api/v1/vacancies/"]["post"]["responses"]
    assert create["400"]["content"]["application/json"]["schema"]["type"] == "object"
    assert create["403"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
    assert "409" in create
