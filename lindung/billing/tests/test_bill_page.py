"""The bill page at a province's size (issue 18): keyset pages in name order, the name as billed, the lines
not billed read apart, figures from the tally."""

import re
from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lindung.billing import ledger, views
from lindung.billing.models import PersonMonth
from lindung.domain.periods import Month
from lindung.enrolment import services
from lindung.enrolment.models import Enrolment

NOV, DEC = Month(2025, 11), Month(2025, 12)


def _walk(client, url: str, params: dict) -> tuple[list[int], list[str]]:
    """Follow 'berikutnya' to the end: the bill lines' ids seen (from their 'mengapa?' links) and the bodies."""
    seen, bodies, cursor = [], [], None
    for _ in range(50):
        body = client.get(url, {**params, **({"setelah": cursor} if cursor else {})}).content.decode()
        bodies.append(body)
        seen += [int(pk) for pk in re.findall(r'/tagihan/baris/(\d+)/">mengapa', body)]
        found = re.search(r'setelah=([A-Za-z0-9_-]+)">berikutnya', body)
        if not found:
            return seen, bodies
        cursor = found.group(1)
    raise AssertionError("tidak selesai")


def test_the_bill_pages_every_line_once_in_name_order_by_keyset(client, people, cohort, monkeypatch):
    monkeypatch.setattr(views, "BILL_PAGE_SIZE", 2)  # the page's size, not our code's behaviour
    program = cohort.program
    first = PersonMonth.objects.filter(program=program, bulan=NOV.first_day).order_by("pk").first()
    PersonMonth.objects.filter(pk=first.pk).update(nama="PESERTA 3")  # a tie on the name: broken by id
    client.force_login(people.admin_a)
    url = reverse("bill", args=[program.slug])
    seen, bodies = _walk(client, url, {"bulan": "2025-11"})
    expected = list(PersonMonth.objects.filter(program=program, bulan=NOV.first_day)
                    .order_by("nama", "pk").values_list("pk", flat=True))
    assert seen == expected and len(seen) == 3 and len(bodies) == 2
    assert "3 baris bulan ini" in bodies[1] and "Rp50.400" in bodies[1]  # the month's figures on every page
    back = re.search(r'sebelum=([A-Za-z0-9_-]+)">‹ sebelumnya', bodies[1]).group(1)
    again = client.get(url, {"bulan": "2025-11", "sebelum": back}).content.decode()
    assert [int(pk) for pk in re.findall(r'/tagihan/baris/(\d+)/">mengapa', again)] == expected[:2]


def test_a_line_keeps_the_name_as_billed(cohort):
    lines = PersonMonth.objects.filter(program=cohort.program).select_related("candidate")
    assert lines.count() == 6 and all(line.nama == line.candidate.nama for line in lines)


def test_lines_not_billed_are_listed_apart_from_the_month_s_lines(client, people, cohort):
    seat = Enrolment.objects.get(candidate__nama="Peserta 2")
    services.release(seat, user=None, reason="Meninggal dunia 10-11-2025", akhir=date(2025, 11, 10), kode="meninggal")
    assert [p.nama for p in ledger.not_billed(cohort.program, DEC)] == ["Peserta 2"]
    assert list(ledger.not_billed(cohort.program, NOV)) == []
    client.force_login(people.admin_a)
    body = client.get(reverse("bill", args=[cohort.program.slug]), {"bulan": "2025-12"}).content.decode()
    voided = body[body.index("Tidak ditagih bulan ini"):]
    assert "Peserta 2" in voided and "Batal" in voided and "Meninggal dunia 10-11-2025" in voided
    lines = body[body.index('id="bill-lines"'):body.index("Tidak ditagih bulan ini")]
    assert "Peserta 2" not in lines and "Peserta 1" in lines


def test_the_bill_reads_its_figures_in_queries_that_do_not_depend_on_the_window(client, people, cohort):
    client.force_login(people.admin_a)
    url = reverse("bill", args=[cohort.program.slug])
    client.get(url, {"bulan": "2025-11"})
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(url, {"bulan": "2025-11"}).content.decode()
    tally_reads = [q["sql"] for q in ctx.captured_queries if "counters_ledgertally" in q["sql"]]
    assert len(tally_reads) == 2, tally_reads  # the month's summary and every month's sums, once each
    assert "Rp100.800" in body  # billed over the whole window: both months


def test_an_empty_bill_says_what_brings_people_onto_it(client, people):
    """Seated but not yet answered by BPJS: nobody is billed; the page says where the answer goes and does not
    end on an empty 'Dasar iuran: .'."""
    from lindung.enrolment.tests.test_cohort import three_seat_cohort

    made = three_seat_cohort(people, 4)
    client.force_login(people.operator_a)
    body = client.get(reverse("bill", args=[made.program.slug]), {"bulan": "2025-11"}).content.decode()
    assert "Belum ada peserta terdaftar BPJS" in body
    assert reverse("cohort", args=[made.program.slug]) + "#bpjs" in body
    assert "Dasar iuran: ." not in body
