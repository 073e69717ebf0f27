"""Fixtures for several kiosks on one PostgreSQL server: the cluster (once per session)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fleet.postgres import Cluster


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    cluster = Cluster()
    cluster.start()
    yield cluster
    cluster.stop()
