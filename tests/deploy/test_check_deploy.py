"""`manage.py check --deploy` on production settings: clean, and it does catch a weak setting."""

from tests.deploy.conftest import manage, production_env


def test_production_settings_pass_the_deploy_checks_without_silencing_any(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_deploy_checks_fail_on_a_weak_production_setting(tmp_path):
    env = production_env(tmp_path, SECURE_HSTS_SECONDS="0", ALLOWED_HOSTS="")

    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode != 0
    assert "security.W004" in result.stderr  # no HSTS
    assert "security.W020" in result.stderr  # no ALLOWED_HOSTS
