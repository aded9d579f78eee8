"""kill -9 during a 50.000-row import commit (issue 11, item 7): nothing half-written, the batch actionable.

`lindung import FILE --program SLUG` runs in a subprocess against a database of its own (a SQLite file, or
a fresh PostgreSQL database when DATABASE_URL names one), is killed at a random moment of its commit, and
then: no candidate, person or audit row of the batch exists; after JOB_STALE_SECONDS `lindung siklus`
returns the batch to its preview with the Indonesian message; and committing it again writes every row.
"""

from __future__ import annotations

import csv
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROWS = 50_000
ROOT = Path(__file__).resolve().parent.parent
LINDUNG = str(Path(sys.executable).with_name("lindung"))
STOPPED = "Proses terhenti sebelum selesai; tidak ada data yang tersimpan. Silakan ulangi."

SETUP = """
import django
django.setup()
from django.core.management import call_command
from lindung.registry.services import load_regions
from lindung.test import make_program
call_command("migrate", verbosity=0)
load_regions(prefix="21.02")
make_program("uji-kill", "21.02")
"""

COMMIT_AGAIN = """
import django
django.setup()
from lindung.imports import services
from lindung.imports.models import ImportBatch
batch = ImportBatch.objects.select_related("program").get()
counts = services.commit(batch, user=None)
print(counts.created)
"""


def write_list(path: Path, rows: int) -> None:
    """Valid rows of Kelurahan Moro's neighbour Desa Pauh: one NIK per (birth date, serial)."""
    with path.open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["NIK", "Nama Lengkap", "Tanggal Lahir", "Jenis Kelamin", "Kode Desa/Kelurahan", "Pekerjaan"])
        for i in range(rows):
            d, m, y, serial = 1 + i % 28, 1 + (i // 28) % 12, 70 + (i // 336) % 30, 1 + i // 10080
            out.writerow([f"210201{d:02d}{m:02d}{y:02d}{serial:04d}", f"Warga Nomor {i}", f"{d:02d}/{m:02d}/19{y:02d}",
                          "L", "2102012004", "Nelayan"])


class Database:
    """A database of the test's own, reachable from subprocesses, read with the plain driver."""

    def __init__(self, tmp_path: Path):
        url = os.environ.get("DATABASE_URL", "")
        self.env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        self.env.update({"DJANGO_SETTINGS_MODULE": "lindung.settings", "DEBUG": "0", "JOB_STALE_SECONDS": "1",
                         "MEDIA_ROOT": str(tmp_path / "media"),
                         "SECRET_KEY": os.environ.get("SECRET_KEY", "test-only-key-not-for-production-kill-test")})
        self.postgres = url.startswith("postgres")
        if self.postgres:
            import psycopg

            parts = urlsplit(url)
            self.name = f"lindung_kill_{os.getpid()}"
            self.admin = psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)
            self.admin.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
            self.admin.execute(f'CREATE DATABASE "{self.name}"')
            self.env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{self.name}"))
            self.conn = psycopg.connect(self.env["DATABASE_URL"], autocommit=True)
        else:
            self.env["SQLITE_PATH"] = str(tmp_path / "kill.sqlite3")
            self.conn = None

    def one(self, sql: str):
        if self.postgres:
            return self.conn.execute(sql).fetchone()
        if self.conn is None:
            self.conn = sqlite3.connect(self.env["SQLITE_PATH"], timeout=30, isolation_level=None)
        return self.conn.execute(sql).fetchone()

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        result = subprocess.run(args, env=self.env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
        assert result.returncode == 0, result.stderr[-2000:]
        return result

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        if self.postgres:
            self.admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self.admin.close()


@pytest.fixture
def database(tmp_path):
    db = Database(tmp_path)
    try:
        yield db
    finally:
        db.close()


def _status(db: Database) -> str | None:
    row = db.one("SELECT status FROM imports_importbatch")
    return row[0] if row else None


def _counts(db: Database) -> tuple[int, int, int]:
    return (db.one("SELECT COUNT(*) FROM imports_candidate")[0], db.one("SELECT COUNT(*) FROM registry_person")[0],
            db.one("SELECT COUNT(*) FROM accounts_auditentry WHERE note LIKE 'impor %'")[0])


def test_a_commit_killed_at_a_random_moment_writes_nothing_and_can_be_repeated(database, tmp_path):
    seed = random.randrange(1_000_000)
    print(f"seed {seed}")  # shown when the test fails, to replay the same moment
    chance = random.Random(seed)
    database.run(sys.executable, "-c", SETUP)
    listing = tmp_path / "daftar-50000.csv"
    write_list(listing, ROWS)

    started = time.monotonic()
    job = subprocess.Popen([LINDUNG, "import", str(listing), "--program", "uji-kill", "--json"], env=database.env,
                           cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while _status(database) != "menyimpan":
            assert job.poll() is None, job.stderr.read().decode()[-2000:]
            time.sleep(0.02)
        # Reading and checking took `checked` seconds; writing takes a few times longer on any machine,
        # so a moment inside the first `checked` seconds of the commit is inside the commit.
        checked = time.monotonic() - started
        time.sleep(chance.uniform(0.05, 1.0) * checked)
        assert job.poll() is None, "the commit ended before the kill"
        os.kill(job.pid, signal.SIGKILL)
    finally:
        job.kill()
        job.wait()
    assert job.returncode == -signal.SIGKILL

    assert _counts(database) == (0, 0, 0)  # one transaction: nothing partial
    assert _status(database) == "menyimpan"  # what used to stay forever
    time.sleep(1.2)  # past JOB_STALE_SECONDS=1 without a heartbeat
    out = json.loads(database.run(LINDUNG, "siklus", "--json").stdout)
    assert out["terhenti"]["impor"] == 1
    status, error, rows_ok = database.one("SELECT status, error, rows_ok FROM imports_importbatch")
    assert (status, error, rows_ok) == ("pratinjau", STOPPED, ROWS)

    created = database.run(sys.executable, "-c", COMMIT_AGAIN).stdout.strip()  # Terima, again
    assert created == str(ROWS)
    assert _counts(database) == (ROWS, ROWS, ROWS)
    assert _status(database) == "selesai"


def test_a_live_commit_past_the_stale_limit_is_never_recovered(database, tmp_path):
    """The other side: a commit that runs longer than JOB_STALE_SECONDS is alive, not stopped. On PostgreSQL
    its heartbeat thread keeps beating during the transaction; on SQLite the beat waits for the commit's
    write lock, and so does any recovery — `lindung siklus` in the middle of the commit recovers nothing."""
    database.run(sys.executable, "-c", SETUP)
    listing = tmp_path / "daftar-50000.csv"
    write_list(listing, ROWS)
    job = subprocess.Popen([LINDUNG, "import", str(listing), "--program", "uji-kill", "--json"], env=database.env,
                           cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while _status(database) != "menyimpan":
            assert job.poll() is None, job.stderr.read().decode()[-2000:]
            time.sleep(0.02)
        time.sleep(1.2)  # past JOB_STALE_SECONDS=1
        out = json.loads(database.run(LINDUNG, "siklus", "--json").stdout)
        assert out["terhenti"]["impor"] == 0
        assert job.wait(timeout=120) == 0, job.stderr.read().decode()[-2000:]
    finally:
        job.kill()
        job.wait()
    assert _status(database) == "selesai" and _counts(database) == (ROWS, ROWS, ROWS)
