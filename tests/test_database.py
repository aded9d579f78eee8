import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_it_runs_on_the_database_the_environment_names():
    # CI runs the suite twice; this proves the second run really talks to PostgreSQL.
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone()[0] == 1
