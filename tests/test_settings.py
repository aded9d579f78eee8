"""Settings: refused defaults and the README's configuration table (architecture.md rule 4)."""

import os
import re
import subprocess
import sys
from pathlib import Path

from lindung.lib.env import TUNABLES

ROOT = Path(__file__).resolve().parent.parent


def _run_settings(env_overrides: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}}
    env.update(env_overrides)
    code = "import lindung.settings as s; print(s.DATABASES['default']['ENGINE'])"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT)


def test_it_refuses_a_missing_secret_key_when_debug_is_off():
    result = _run_settings({"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY belum diisi" in result.stderr


def test_it_refuses_a_placeholder_secret_key():
    for key in ("change-me", "django-insecure-abc"):
        result = _run_settings({"DEBUG": "0", "SECRET_KEY": key})
        assert result.returncode != 0, key
        assert "SECRET_KEY" in result.stderr


def test_it_accepts_a_real_key_and_defaults_to_sqlite():
    result = _run_settings({"DEBUG": "0", "SECRET_KEY": "a-real-long-random-key-for-this-test-0123456789"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_it_uses_postgresql_from_database_url():
    result = _run_settings({"DEBUG": "1", "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/lindung"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_it_explains_a_bad_boolean():
    result = _run_settings({"DEBUG": "mungkin"})
    assert result.returncode != 0
    assert "DEBUG='mungkin' tidak dikenal" in result.stderr


def test_it_documents_every_tunable_in_the_readme():
    import lindung.settings  # noqa: F401  (fills TUNABLES)

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", readme, flags=re.MULTILINE))
    assert set(TUNABLES) == documented


def test_it_configures_sqlite_for_concurrent_use(settings):
    from lindung.settings import _database

    db = _database("")
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert db["OPTIONS"]["timeout"] > 0


def test_the_offline_calculators_run_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    lindung = str(Path(sys.executable).with_name("lindung"))
    ok = subprocess.run([lindung, "pagu", "--anggaran", "3000000000", "--bulan", "12", "--periode", "2025-01", "--json"],
                        env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    refused = subprocess.run([lindung, "migrate", "--check"], env=env, capture_output=True, text=True)
    assert refused.returncode == 2
    assert "SECRET_KEY belum diisi" in refused.stderr and "Traceback" not in refused.stderr


def test_a_sqlite_database_url_gets_the_same_tuning_as_the_default():
    """Issue 11, item 8: DATABASE_URL=sqlite:///… used to drop WAL, IMMEDIATE and the busy timeout."""
    from lindung.settings import _database

    default = _database("")
    named = _database("sqlite:////srv/lindung/data.sqlite3")
    assert named["NAME"] == "/srv/lindung/data.sqlite3"
    assert named["OPTIONS"] == default["OPTIONS"]
    assert named["OPTIONS"]["transaction_mode"] == "IMMEDIATE" and named["OPTIONS"]["timeout"] > 0
    assert _database("postgres://u:p@127.0.0.1:5432/lindung")["ENGINE"] == "django.db.backends.postgresql"
