"""`/` and `/api/` say where to go; an unknown URL is the API's JSON 404, DEBUG on or off."""

import pytest
from django.test import Client


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


def test_an_unknown_api_url_answers_the_json_error_shape(debug):
    response = Client().get("/api/no-such-thing/", HTTP_ACCEPT="text/html")

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Not found."}


def test_an_unknown_url_answers_json_to_a_client_that_does_not_ask_for_html(debug):
    for accept in ("application/json", "*/*"):
        response = Client().get("/no-such-page", HTTP_ACCEPT=accept)

        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_a_browser_keeps_the_debug_page_for_an_unknown_page_outside_the_api(settings):
    settings.DEBUG = True

    response = Client().get("/no-such-page", HTTP_ACCEPT="text/html")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_the_front_page_links_the_api_its_docs_the_admin_and_the_probes(debug):
    response = Client().get("/")

    assert response.status_code == 200
    links = response.json()["links"]
    assert links == {
        "api": "http://testserver/api/",
        "docs": "http://testserver/api/docs/",
        "redoc": "http://testserver/api/redoc/",
        "schema": "http://testserver/api/schema/",
        "admin": "http://testserver/admin/",
        "health": "http://testserver/healthz",
        "ready": "http://testserver/readyz",
    }
    for name, url in links.items():
        assert Client().get(url).status_code in {200, 302}, name  # the admin: to its login


@pytest.mark.django_db
def test_the_api_root_links_every_collection_and_each_link_answers():
    links = Client().get("/api/").json()["links"]

    assert {"tracks", "artists", "albums", "genres", "playlists", "me", "docs"} <= links.keys()
    for name, url in links.items():
        # 401 for what needs an account, 405 for what only takes a POST (register, token)
        assert Client().get(url).status_code in {200, 401, 405}, name
