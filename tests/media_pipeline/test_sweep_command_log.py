"""The sweep kept running beside the workers writes what it does to its log, sweep by sweep."""

import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


class _Stop(Exception):
    pass


def test_the_repeating_sweep_logs_its_start_and_each_sweep(monkeypatch, capsys, settings):
    settings.PIPELINE_STALE_AFTER_SECONDS = 600
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 2:
            raise _Stop

    monkeypatch.setattr("time.sleep", sleep)

    with pytest.raises(_Stop):
        call_command("sweep_stale_jobs", "--every", "60")

    lines = capsys.readouterr().out.splitlines()
    stamp = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d "
    assert re.fullmatch(
        stamp + "Sweeping every 60 s for jobs without a heartbeat for 600 s", lines[0]
    )
    assert [re.fullmatch(stamp + "(.*)", line).group(1) for line in lines[1:]] == [
        "Re-sent 0 stale job(s): none",
        "Re-sent 0 stale job(s): none",
    ]


def test_a_single_sweep_with_nothing_to_do_stays_quiet_for_cron(capsys):
    call_command("sweep_stale_jobs")

    assert capsys.readouterr().out == ""
