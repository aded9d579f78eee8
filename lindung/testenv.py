"""Loaded by pytest with `-p lindung.testenv`, before pytest-django reads the settings.

Tests run with DEBUG off, like production, so they need a SECRET_KEY; this one is for tests only.
An explicit environment (e.g. CI's DATABASE_URL) wins.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key-not-for-production-3f9a7c1e5b2d")
os.environ.setdefault("DEBUG", "0")
# Threads of the live server and the task worker must not keep connections that block dropping the test database.
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "0")
