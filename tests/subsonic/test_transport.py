"""Transport and envelope: /rest/<method>[.view], GET and POST form, XML by default with the
namespace, JSON and JSONP, errors inside the envelope with HTTP 200 and the spec's codes."""

import json

import pytest
from django.test import Client

from tests.subsonic.conftest import Subsonic

pytestmark = pytest.mark.django_db


def test_ping_answers_xml_by_default_in_the_subsonic_namespace(alice_sonic):
    root = alice_sonic.xml("ping")

    assert root.tag == "{http://subsonic.org/restapi}subsonic-response"
    assert root.attrib == {
        "status": "ok",
        "version": "1.16.1",
        "type": "tonearm",
        "serverVersion": root.attrib["serverVersion"],
        "openSubsonic": "true",
    }


def test_every_method_answers_with_and_without_the_view_suffix(alice_sonic):
    assert alice_sonic.ok("ping.view")["status"] == "ok"
    assert alice_sonic.ok("ping")["status"] == "ok"


def test_a_post_form_is_read_like_a_query_string(alice_sonic):
    response = alice_sonic.raw("getMusicFolders", post=True, f="json")

    body = json.loads(response.content)["subsonic-response"]
    assert body["status"] == "ok"
    assert body["musicFolders"]["musicFolder"] == [{"id": 1, "name": "Music"}]


def test_jsonp_wraps_the_json_in_the_callback(alice_sonic):
    response = alice_sonic.raw("ping", f="jsonp", callback="handle")

    assert response["Content-Type"].startswith("text/javascript")
    text = response.content.decode()
    assert text.startswith("handle(") and text.endswith(");")
    assert json.loads(text[len("handle(") : -2])["subsonic-response"]["status"] == "ok"


def test_a_callback_that_is_not_a_name_gets_plain_json(alice_sonic):
    response = alice_sonic.raw("ping", f="jsonp", callback="alert(1)//")

    assert response["Content-Type"] == "application/json"


def test_an_unknown_method_is_error_70_inside_an_http_200(alice_sonic):
    body = alice_sonic.json("noSuchMethod")

    assert body["status"] == "failed"
    assert body["error"]["code"] == 70


def test_a_missing_parameter_is_error_10(alice_sonic):
    body = alice_sonic.json("getAlbum")

    assert body["error"] == {"code": 10, "message": "Required parameter is missing: id"}


def test_extensions_answer_without_credentials():
    body = Subsonic({}).json("getOpenSubsonicExtensions")

    assert body["status"] == "ok"
    names = {ext["name"] for ext in body["openSubsonicExtensions"]}
    assert {"formPost", "apiKeyAuthentication", "songLyrics"} <= names


def test_other_methods_want_credentials():
    body = Subsonic({}).json("ping")

    assert body["error"]["code"] == 10


def test_booleans_are_read_whatever_their_case(alice_sonic, library):
    playlist = alice_sonic.ok("createPlaylist", name="Mix")["playlist"]

    alice_sonic.ok("updatePlaylist", playlistId=playlist["id"], public="TRUE")

    assert alice_sonic.ok("getPlaylist", id=playlist["id"])["playlist"]["public"] is True


def test_a_put_is_refused_without_a_body_of_html():
    response = Client().put("/rest/ping")

    assert response.status_code == 405
