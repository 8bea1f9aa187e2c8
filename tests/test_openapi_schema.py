"""The OpenAPI schema documents every endpoint without warnings."""

from io import StringIO

import pytest
from django.core.management import call_command


def test_schema_generates_without_warnings_or_errors(db):
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out, stderr=out)
    assert "openapi: 3" in out.getvalue()


@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/", "/api/redoc/"])
def test_schema_and_docs_are_served_without_internet(api_client, path):
    response = api_client.get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert "cdn.jsdelivr.net" not in body and "unpkg.com" not in body
