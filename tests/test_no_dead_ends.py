"""No dead ends (issue 16): every link and every form a role is shown leads somewhere that role may go.

Each role of lindung/test.py starts at the home page and follows every link of this site it is shown
(breadth first) and submits every form it is shown, empty; nothing it is offered may answer 403. A refusal
is for a crafted request, never for a button on the page.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import transaction
from django.test import Client

from lindung.enrolment import services
from lindung.enrolment.models import Priority
from lindung.enrolment.tests.test_cohort import rows, verified

pytestmark = pytest.mark.django_db

ROLES = ("auditor_a", "bpkad_a", "verifier_a", "desa_a", "operator_a", "admin_a")
SKIP = re.compile(r"^/(static/|admin/|keluar/|favicon)")
MAX_PAGES = 120


class _Targets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.posts: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self.posts.append(a.get("action") or "")


def _targets(url: str, html: str) -> _Targets:
    found = _Targets()
    found.feed(html)
    found.links = [urljoin(url, h) for h in found.links]
    found.posts = [urljoin(url, p or url) for p in found.posts]
    return found


def _local(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in {"", "http"} or parts.netloc not in {"", "testserver"} or SKIP.match(parts.path):
        return None
    if not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


class _Undo(Exception):
    pass


def _post_and_undo(client, url: str) -> int:
    """Submit a form empty and roll back whatever it wrote (and its on_commit jobs): the walk sees only
    whether the form is refused, and later pages still show the world as it was."""
    status = 0
    try:
        with transaction.atomic():
            status = client.post(url, {}).status_code
            raise _Undo
    except _Undo:
        return status


def crawl(user, html_pages: list[str] | None = None) -> dict[str, int]:
    """Path -> status of every page and form target the user is offered; the HTML pages (not the
    downloads) are appended to `html_pages` when given."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    seen: dict[str, int] = {}
    posted: dict[str, int] = {}
    queue = deque(["/"])
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        if html_pages is not None:
            html_pages.append(url)
        found = _targets("http://testserver" + url, response.content.decode())
        for link in found.links:
            local = _local(link)
            if local and local not in seen and not re.search(r"[?&]hal=\d", local):
                queue.append(local)
        for action in found.posts:
            local = _local(action)
            if local and local not in posted:
                posted[local] = _post_and_undo(client, local)
    return {**seen, **{f"POST {k}": v for k, v in posted.items()}}


@pytest.fixture
def world(people):
    program = people.program_a
    program.pagu = 3 * 2 * 16_800
    program.save()
    verified(program, people.operator_a, rows(4))
    services.form_cohort(program=program, user=people.admin_a, prioritas=Priority.LIST_ORDER)
    return people


@pytest.mark.parametrize("role", ROLES)
def test_nothing_a_role_is_offered_answers_403_or_404(world, role):
    statuses = crawl(getattr(world, role))
    refused = sorted(url for url, status in statuses.items() if status == 403)
    broken = sorted(url for url, status in statuses.items() if status >= 500)
    missing = sorted(url for url, status in statuses.items() if status == 404 and not url.startswith("POST "))
    assert len(statuses) > 5
    assert not refused, f"{role} is offered what it may not do: {refused}"
    assert not missing, f"{role} is offered links to pages that are not there: {missing}"
    assert not broken, broken


def test_the_read_only_cohort_page_offers_no_disnaker_action(world, client):
    client.force_login(world.auditor_a)
    body = client.get(f"/program/{world.program_a.slug}/penetapan/").content.decode()
    for offered in ("Keluarkan", "Unduh lampiran", "Buat lampiran", "berkas pengajuan", "Buat SK", "Terapkan jawaban",
                    "Tambahkan ke kohort"):
        assert offered not in body, offered
    assert 'id="hanya-baca"' in body
    client.force_login(world.admin_a)
    body = client.get(f"/program/{world.program_a.slug}/penetapan/").content.decode()
    assert "Keluarkan" in body and "Buat lampiran" in body  # the lampiran's download appears once it is made
