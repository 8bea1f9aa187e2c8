""".env.example lists exactly the variables the settings read."""

import re

from tests.deploy.conftest import ROOT

# Read by the settings but deliberately not offered to operators.
NOT_FOR_OPERATORS = {"BENCH_ENDPOINTS"}  # the benchmark server's floor endpoint, never production


def settings_variables() -> set[str]:
    text = (ROOT / "config" / "settings.py").read_text()
    return set(re.findall(r'env_[a-z]+\(\s*"([A-Z0-9_]+)"', text))


def env_example_variables() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^([A-Z0-9_]+)=", text, re.MULTILINE))


def test_every_setting_read_from_the_environment_is_listed_in_env_example():
    assert settings_variables() - NOT_FOR_OPERATORS - env_example_variables() == set()


def test_env_example_lists_no_variable_the_settings_ignore():
    assert env_example_variables() - settings_variables() == set()
