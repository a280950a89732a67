"""A real queue for the tests of the jobs' engine: SQLite in a temporary
folder, and Redis (``make redis`` makes sure one answers at
``ESERVICES_TEST_REDIS``), each test on a queue of its own name."""

from illkirch.eservices.jobs import engine
from illkirch.eservices.jobs import registry

import os
import pytest
import secrets


REDIS_URL = os.environ.get("ESERVICES_TEST_REDIS", "redis://127.0.0.1:6379/0")


def environment(backend, folder):
    name = f"eservices-test-{secrets.token_hex(4)}"
    if backend == "sqlite":
        return {
            "JOBS_BACKEND": "sqlite",
            "JOBS_SQLITE": str(folder / "jobs.sqlite"),
            "JOBS_NAME": name,
        }
    return {"JOBS_BACKEND": "redis", "JOBS_REDIS_URL": REDIS_URL, "JOBS_NAME": name}


@pytest.fixture(params=["sqlite", "redis"])
def queue_env(request, tmp_path):
    """The environment of a fresh queue on each backend."""
    return environment(request.param, tmp_path)


@pytest.fixture
def queue(queue_env):
    """The process's queue (jobs.enqueue's), out of EAGER mode."""
    huey = engine.build(queue_env)
    engine.reset(huey)
    registry.EAGER = False
    yield huey
    registry.EAGER = True
    registry.RUNNER = None
    huey.flush()
    engine.reset()
