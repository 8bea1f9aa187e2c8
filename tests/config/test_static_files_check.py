"""Without DEBUG, a server whose static files were not collected refuses to start, naming
collectstatic, instead of answering 500 on /admin/ and /api/docs/."""

from pathlib import Path

from tests.config.test_settings_start import start_django


def start_server_module(module: str, **env: str):
    # The test settings turn the manifest off; a production start has it on.
    return start_django(code=f"import {module}", unset=frozenset({"STATIC_MANIFEST"}), **env)


def _production(tmp_path: Path) -> dict[str, str]:
    return {
        "DEBUG": "false",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "example.org",
        "DATA_DIR": str(tmp_path / "data"),
        "STATIC_ROOT": str(tmp_path / "static"),
    }


def test_wsgi_refuses_to_start_without_collected_static_files(tmp_path):
    result = start_server_module("config.wsgi", **_production(tmp_path))

    assert result.returncode != 0
    assert "collectstatic" in result.stderr


def test_asgi_refuses_to_start_without_collected_static_files(tmp_path):
    result = start_server_module("config.asgi", **_production(tmp_path))

    assert result.returncode != 0
    assert "collectstatic" in result.stderr


def test_wsgi_starts_once_static_files_are_collected(tmp_path):
    env = _production(tmp_path)
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')

    result = start_server_module("config.wsgi", **env)

    assert result.returncode == 0, result.stderr


def test_debug_needs_no_collected_static_files(tmp_path):
    result = start_server_module("config.wsgi", **{**_production(tmp_path), "DEBUG": "true"})

    assert result.returncode == 0, result.stderr
