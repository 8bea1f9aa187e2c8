"""The side-by-side bench with the peer (bench/peer.py): the same actions on both, ids mapped
the same way in the data copy and in the load scripts, a readable report."""

import re
import uuid

from bench import load, peer


def test_the_peer_is_loaded_with_the_same_actions_as_tonearm():
    assert set(peer.PEER_ENDPOINTS) <= set(load.ENDPOINTS)
    assert {"track_list", "track_search", "history", "stream", "playlist_add", "floor"} <= set(
        peer.PEER_ENDPOINTS
    )


def test_ids_become_the_same_uuids_in_the_copy_and_in_the_load(tmp_path):
    fixture = load.Fixture(tokens=["t"], playlists=[7], heavy_token="t", tracks=100, search="blue")
    script = load.lua_script(
        "stream", fixture, tmp_path, bodies=peer.PEER_ENDPOINTS, prefix="peer-"
    ).read_text()
    lua_format = re.search(r'string\.format\("([^"]+)"', script).group(1)
    # Lua's %012x is Python's; the SQL side is lpad(to_hex(id), 32, '0')::uuid.
    assert lua_format.replace("%012x", f"{42:012x}") == str(uuid.UUID(int=42))
    assert "lpad(to_hex(t.id), 32, '0')::uuid" in peer.COPIES[1][1]


def test_the_peer_database_sits_next_to_tonearms():
    assert (
        peer.peer_database_url("postgres://u@127.0.0.1:5432/tonearm")
        == "postgres://u@127.0.0.1:5432/tonearm_peer"
    )


def test_the_report_gives_each_endpoint_its_ratio():
    side = {"rps": 100.0, "p50": 5.0}
    result = {
        "scale": "small",
        "date": "2026-12-03T08:00:00+00:00",
        "commit": "abc1234",
        "peer": {"repository": "github.com/Kochiya35/Music_Streming", "commit": "27e2e74"},
        "method": {"load": "wrk"},
        "load_average_before": [0.1],
        "load_average_after": [0.2],
        "endpoints": {"track_list": {"ratio": 1.5, "tonearm": side, "peer": side}},
    }
    assert "| track_list | 100.0 | 100.0 | 1.5x | 5.0 | 5.0 |" in peer.render(result)
