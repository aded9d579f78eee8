import pytest


@pytest.fixture
def people(db):
    """Personas of lindung/test.py: Kabupaten A (Karimun) users and the outsider in Kabupaten B."""
    from lindung.test import personas

    return personas()
