"""A server process moves what loading the application made out of the garbage collector's
reach, so its full collections do not walk every module, class and URL pattern."""

import pytest

from tests.config.test_settings_start import start_django

CODE = """
import gc, sys
import {module}
from django.urls import get_resolver
print(gc.get_freeze_count(), len(gc.get_objects()), "core.views" in sys.modules or any(
    name.startswith("core.") and name.endswith(".views") for name in sys.modules))
"""


@pytest.mark.parametrize("module", ["config.wsgi", "config.asgi"])
def test_the_loaded_application_is_frozen(module):
    result = start_django(code=CODE.format(module=module), DEBUG="true")

    assert result.returncode == 0, result.stderr
    frozen, tracked, views_loaded = result.stdout.split()
    assert int(frozen) > 50_000
    assert int(tracked) < int(frozen) / 10
    assert views_loaded == "True"
