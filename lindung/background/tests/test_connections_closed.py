"""PostgreSQL: no connection outlives a browser test, so the test database can be dropped at the end.

Playwright runs a browser test (and the fixtures set up after `browser`) in a contextvars context of its
own, where Django's connections are other objects than the ones the test's teardown closes. The one a
worker run from the test opened stayed open, and the run ended with "Error when trying to teardown test
databases: database ... is being accessed by other users". The root conftest's `browser` fixture now
closes them in that context. A pytest run of its own (browser_worker_case.py) shows it: its end is where
the database is dropped."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
CASE = Path(__file__).with_name("browser_worker_case.py")


@pytest.mark.browser
def test_a_browser_test_that_runs_the_worker_leaves_no_connection_open(db):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite: no server sessions to leave open")
    if not os.path.exists("/usr/bin/chromium") and not os.environ.get("LINDUNG_REQUIRE_BROWSER"):
        pytest.skip("Chromium tidak terpasang")
    url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"].removeprefix("test_") + "_sesi"
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(CASE)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=600)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    assert "1 passed" in output and "being accessed by other users" not in output, output[-3000:]
