"""Run by test_connections_closed.py in a pytest run of its own (the name keeps it out of the suite): a
browser test that runs the worker and uses the ORM after it, as the matching and import browser tests do."""

import pytest
from django.contrib.auth import get_user_model

from lindung.background.tests.helpers import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_page_then_the_worker_then_the_orm(browser, live_server, people):
    page = browser.new_page()
    page.goto(f"{live_server.url}/masuk/")
    run_worker()  # closes the test's connection and opens its own
    assert get_user_model().objects.filter(pk=people.operator_a.pk).exists()
