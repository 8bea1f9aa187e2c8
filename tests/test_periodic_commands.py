"""The commands kept running beside the workers share one loop: a round, once or every N
seconds; a database outage ends a single run (cron sees the failure) but only pauses a kept one."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError

pytestmark = pytest.mark.django_db

# Each command, and the function its round calls that an outage would break.
COMMANDS = [
    ("refresh_charts", "core.management.commands.refresh_charts.charts_refresh", 0),
    ("apply_listens", "core.management.commands.apply_listens.insights_apply_pending", 0),
    ("sweep_stale_jobs", "core.management.commands.sweep_stale_jobs.processing_sweep_stale", []),
]


class _Stop(Exception):
    pass


@pytest.mark.parametrize("name", [c[0] for c in COMMANDS])
def test_a_negative_interval_is_refused_with_its_option_named(name):
    with pytest.raises(CommandError, match="--every must be zero or more seconds"):
        call_command(name, "--every", "-1")


@pytest.mark.parametrize(("name", "work", "result"), COMMANDS)
def test_a_single_run_fails_on_a_database_outage(name, work, result, monkeypatch):
    def broken():
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(work, broken)

    with pytest.raises(OperationalError):
        call_command(name)


@pytest.mark.parametrize(("name", "work", "result"), COMMANDS)
def test_a_kept_run_waits_out_an_outage_and_repeats_the_round(name, work, result, monkeypatch):
    calls, waits, sleeps = [], [], []

    def flaky():
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("terminating connection due to administrator command")
        return result

    def sleep(seconds):
        sleeps.append(seconds)
        raise _Stop

    monkeypatch.setattr(work, flaky)
    monkeypatch.setattr(
        "core.management.periodic.wait_for_database", lambda exc, process: waits.append(process)
    )
    monkeypatch.setattr("time.sleep", sleep)

    with pytest.raises(_Stop):
        call_command(name, "--every", "30", stdout=StringIO(), stderr=StringIO())

    assert len(calls) == 2  # the broken round, then the same round again at once
    assert len(waits) == 1 and waits[0]  # one wait, under the process's own name
    assert 0 < sleeps[0] <= 30  # then the regular pause until the next round
