import pytest


@pytest.fixture
def people(db):
    """Personas of lindung/test.py: Kabupaten A (Karimun) users and the outsider in Kabupaten B."""
    from lindung.test import personas

    return personas()


@pytest.fixture(autouse=True)
def media_in_tmp(request, tmp_path):
    """Uploaded lists, berita acara and SK PDFs written by tests go to a temporary folder.

    Domain tests also run without Django (`-p no:django`); then there is nothing to redirect.
    """
    if request.config.pluginmanager.hasplugin("django"):
        request.getfixturevalue("settings").MEDIA_ROOT = tmp_path / "media"
