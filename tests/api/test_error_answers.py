"""Errors raised outside a view (no URL matches, a crash) answer JSON under /api/ (``{"detail": ...}``, as the API's
own errors) and the HTML pages elsewhere (apps/core/errors.py, wired in talentmatch/urls.py)."""

import json

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from rest_framework.exceptions import NotFound

from apps.core import errors


@pytest.mark.django_db
@pytest.mark.parametrize("path", [
    "/api/v1/vacancies/not-a-number/candidates/",  # an <int:...> converter that does not match
    "/api/v1/no-such-endpoint/",
    "/api/v1/vacancies/1/no-such-action/",
])
def test_an_unknown_api_path_answers_json_404(path):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


@pytest.mark.django_db
def test_the_api_404_speaks_the_callers_language():
    response = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").post("/api/v1/invitations/x/")
    with translation.override("zh-hans"):
        expected = str(NotFound.default_detail)
    assert expected != "Not found."
    assert response.status_code == 404 and response.json() == {"detail": expected}


@pytest.mark.django_db
def test_an_unknown_page_is_still_the_html_404():
    response = Client().get("/en/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert b"<html" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(("handler", "status"), [
    (lambda request: errors.bad_request(request, None), 400),
    (lambda request: errors.permission_denied(request, None), 403),
    (lambda request: errors.page_not_found(request, None), 404),
    (errors.server_error, 500),
])
def test_each_handler_answers_json_under_api_and_html_elsewhere(handler, status):
    api = handler(RequestFactory().get("/api/v1/vacancies/"))
    assert api.status_code == status and api["Content-Type"] == "application/json"
    body = json.loads(api.content)
    assert set(body) == {"detail"} and body["detail"]
    page = handler(RequestFactory().get("/en/vacancies/"))
    assert page.status_code == status and page["Content-Type"].startswith("text/html")
