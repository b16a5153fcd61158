import pytest

from .processes import RedisServer, SmtpSink


@pytest.fixture
def redis_server():
    """Our own redis-server on a spare loopback port; the test may stop and start it."""
    server = RedisServer().start()
    yield server
    if server.process is not None:
        server.stop()


@pytest.fixture
def smtp_sink():
    """Factory: smtp_sink(refuse=[...], pause_at_mail=n) starts an aiosmtpd server that records mail."""
    sinks = []

    def start(**options):
        sink = SmtpSink(**options).start()
        sinks.append(sink)
        return sink

    yield start
    for sink in sinks:
        sink.stop()
