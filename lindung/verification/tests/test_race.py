"""Two verifiers deciding the same candidates at the same moment (issue 11, item 8), on a real SQLite file
named by DATABASE_URL=sqlite:///…: one wins, the other is told who decided — never a 500, never a
"0 calon diputuskan" shown as success.

The race runs in a subprocess because the suite's own SQLite test database lives in memory; two threads
there, each with its own connection and test client, post at a barrier.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

RACE = r"""
import html, json, re, threading
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
from django.urls import reverse
from lindung.accounts.models import Role
from lindung.imports.models import Candidate
from lindung.registry.models import Person
from lindung.test import DESA_A, KAB_A, make_program, make_user
from lindung.registry.services import load_regions
from lindung.verification.tests.helpers import semua

load_regions(prefix=KAB_A)
program = make_program("uji-balapan", KAB_A, tingkat_verifikasi=["dinsos"])
users = [make_user("dinsos.satu", Role.VERIFIKATOR_DINSOS, KAB_A, first_name="Dinsos Satu"),
         make_user("dinsos.dua", Role.VERIFIKATOR_DINSOS, KAB_A, first_name="Dinsos Dua")]
url = reverse("verification_queue", args=[program.slug])
results = []
MESSAGE = re.compile(r'<p class="message (\w+)">(.*?)</p>')


def candidates(round_no):
    made = []
    for k in range(3):
        nik = f"21020117089{round_no:03d}{k:02d}"
        person = Person.objects.create(nik=nik, nama=f"Calon {round_no}-{k}")
        made.append(Candidate.objects.create(program=program, person=person, desa_id=DESA_A, nik=nik,
                                             nama=f"Calon {round_no}-{k}", pekerjaan="nelayan"))
    return made


def decide(user, data, barrier, out):
    client = Client()
    client.force_login(user)
    barrier.wait()
    try:
        response = client.post(url, data, follow=True)
        page = response.content.decode()
        out[user.username] = [response.status_code, [(tag, html.unescape(text)) for tag, text in MESSAGE.findall(page)]]
    except Exception as exc:  # the test client re-raises what would be a 500
        out[user.username] = [500, [("error", repr(exc))]]


for round_no in range(ROUNDS):
    made = candidates(round_no)
    if round_no % 2:
        page_client = Client()
        page_client.force_login(users[0])
        data = semua(page_client, url)  # the page both have open
    else:
        data = {"keputusan": "layak", "calon": [f"{c.pk}:{c.version}" for c in made]}
    barrier, out = threading.Barrier(2), {}
    threads = [threading.Thread(target=decide, args=(u, data, barrier, out)) for u in users]
    [t.start() for t in threads]
    [t.join() for t in threads]
    decided = sorted(Candidate.objects.filter(pk__in=[c.pk for c in made]).values_list("decisions__verifier__username", flat=True))
    results.append({"out": out, "decided_by": decided})

# A write lock held longer than SQLITE_BUSY_TIMEOUT (a large import being saved): a message, not a 500.
import sqlite3
from django.conf import settings
from lindung.verification.models import VerificationDecision
made = candidates(99)
client = Client()
client.force_login(users[0])
blocker = sqlite3.connect(settings.DATABASES["default"]["NAME"], isolation_level=None)
blocker.execute("BEGIN IMMEDIATE")
out = {}
try:
    response = client.post(url, {"keputusan": "layak", "calon": [f"{c.pk}:{c.version}" for c in made]}, follow=True)
    out = {"status": response.status_code, "messages": MESSAGE.findall(response.content.decode())}
except Exception as exc:
    out = {"status": 500, "messages": [["error", repr(exc)]]}
finally:
    blocker.execute("ROLLBACK")
out["decided"] = VerificationDecision.objects.filter(candidate__in=made).count()
print(json.dumps({"rounds": results, "busy": out}))
"""


def test_two_verifiers_at_once_one_wins_the_other_is_told_who(tmp_path):
    """…and a database locked longer than SQLITE_BUSY_TIMEOUT is a message too."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQLITE_PATH"}}
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'balapan.sqlite3'}", "DJANGO_SETTINGS_MODULE": "lindung.settings",
                "DEBUG": "0", "MEDIA_ROOT": str(tmp_path / "media"), "SQLITE_BUSY_TIMEOUT": "1",
                "SECRET_KEY": os.environ.get("SECRET_KEY", "test-only-key-not-for-production-race-test")})
    done = subprocess.run([sys.executable, "-c", RACE.replace("ROUNDS", "8")], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    busy = report["busy"]
    assert busy["status"] == 200 and busy["decided"] == 0, busy
    assert [tag for tag, _ in busy["messages"]] == ["error"] and "Basis data sedang sibuk" in busy["messages"][0][1], busy
    for result in report["rounds"]:
        out, decided_by = result["out"], result["decided_by"]
        assert [code for code, _ in out.values()] == [200, 200], out
        assert len(set(decided_by)) == 1, decided_by  # every candidate decided once, by one verifier
        winner = decided_by[0]
        loser = next(name for name in out if name != winner)
        assert out[winner][1] == [["success", "3 calon diputuskan layak dan kini terverifikasi (tingkat terakhir)."]], out
        loser_messages = out[loser][1]
        assert all(tag == "error" for tag, _ in loser_messages), out  # no success message for the loser
        winner_name = "Dinsos Satu" if winner == "dinsos.satu" else "Dinsos Dua"
        assert loser_messages and all(f"oleh {winner_name}" in text for _, text in loser_messages), out
