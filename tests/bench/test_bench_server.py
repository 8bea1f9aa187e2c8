"""The bench's gunicorn: each gthread worker takes at most its share of the load's connections
beyond its threads, so that a burst of connections cannot all land on one worker."""

from bench import load


def test_a_gthread_worker_takes_at_most_its_share_of_the_connections_beyond_its_threads():
    spec = load.ServerSpec.parse("gthread:3x4")
    command = spec.command(8000, connections=16)

    cap = int(command[command.index("--worker-connections") + 1])
    assert cap == 4 + 6
    # Whatever the first worker takes, the rest keep a second one's threads busy, and no
    # worker holds more idle keep-alive connections than gunicorn keeps (its cap less threads).
    assert 16 - cap >= spec.threads
    assert cap - spec.threads >= -(-16 // spec.workers)


def test_without_a_connection_count_or_with_sync_workers_gunicorn_keeps_its_default():
    assert "--worker-connections" not in load.ServerSpec.parse("gthread:3x4").command(8000)
    assert "--worker-connections" not in load.ServerSpec.parse("sync:5").command(
        8000, connections=16
    )
    assert load.connection_cap(load.ServerSpec.parse("sync:5"), 16) == ""
