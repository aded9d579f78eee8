"""The SK penetapan penerima for Karimun (domain.md §0 S1): 953 people, 2 months, Rp32.020.800."""

from __future__ import annotations

import dataclasses
import io
import re
import time
import zipfile
from datetime import date

import pytest
from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from lindung.domain.iuran import iuran_total
from lindung.domain.periods import Month
from lindung.reports.sk import (
    HEADER,
    SkData,
    SkError,
    SkPerson,
    formal_regulation,
    lampiran_xlsx,
    sk_html,
    sk_pdf,
    terbilang,
)

DEPAN = ("Ahmad", "Siti", "Budi", "Nur", "Rahmat", "Dewi", "Agus", "Sri", "Hendra", "Wati",
         "Joko", "Rina", "Syahrul", "Aisyah", "Bambang", "Fitri", "Irwan", "Yuliana", "Zulkifli", "Maryam")
TENGAH = ("Abdul", "Putri", "Dwi", "Indah", "Eko", "Kurnia", "Tri")
BELAKANG = ("Saputra", "Lestari", "Hidayat", "Rahmawati", "Siregar", "Harahap", "Nasution")
DESA = (("Tebing", "Pongkar"), ("Meral", "Baran Barat"), ("Karimun", "Tanjung Balai"), ("Kundur", "Tanjung Batu Kota"))
PEKERJAAN = ("nelayan", "ojek_pangkalan", "pedagang_kecil", "buruh_bongkar_muat", "marbot", "tukang_parkir")


def person(i: int) -> SkPerson:
    """The i-th Karimun worker (0-based): a unique name and a NIK that agrees with the birth date."""
    perempuan = i % 2 == 1
    lahir = date(1960 + i % 45, i % 12 + 1, i % 28 + 1)
    day = lahir.day + (40 if perempuan else 0)
    nik = f"21020{i % 4 + 1}{day:02d}{lahir.month:02d}{lahir.year % 100:02d}{i + 1:04d}"
    kecamatan, desa = DESA[i % 4]
    nama = f"{DEPAN[i % 20]} {TENGAH[i // 20 % 7]} {BELAKANG[i // 140]}"
    return SkPerson(nik=nik, nama=nama, tanggal_lahir=lahir, jenis_kelamin="P" if perempuan else "L",
                    desa=desa, kecamatan=kecamatan, pekerjaan=PEKERJAAN[i % 6])


# Rejected in verification (already a BPJS participant): never in the SK.
OUTSIDER = SkPerson(nik="2102014507889999", nama="Zainab Binti Harun Tanjung", tanggal_lahir=date(1988, 7, 5),
                    jenis_kelamin="P", desa="Pongkar", kecamatan="Tebing", pekerjaan="nelayan")


@pytest.fixture(scope="module")
def karimun() -> SkData:
    iuran = iuran_total(orang=953, start=Month(2025, 11), bulan=2, pembayar="apbd")
    return SkData(
        pemda="Kabupaten Karimun",
        program="Perlindungan Pekerja Rentan Kabupaten Karimun 2025",
        nomor_sk="560/412/DISNAKER/2025",
        tanggal_sk=date(2025, 11, 13),
        tempat="Tanjung Balai Karimun",
        sumber_dana="APBD Kabupaten/Kota",
        pks_nomor="PKS.01/KRM/XI/2025",
        pks_tanggal=date(2025, 11, 13),
        mulai=date(2025, 11, 1),
        selesai=date(2025, 12, 31),
        bulan=2,
        iuran_per_orang_per_bulan=iuran.per_orang_per_bulan,
        total_iuran=iuran.total,
        aturan=iuran.aturan,
        kode_kepesertaan="SG",
        penandatangan_jabatan="Kepala Dinas Tenaga Kerja Kabupaten Karimun",
        penandatangan_nama="Drs. Ahmad Fauzi, M.Si.",
        peserta=tuple(person(i) for i in range(953)),
        catatan=("Masa perlindungan 2 bulan: kurang dari 3 bulan, manfaat JKM Rp10.000.000",),
    )


@pytest.fixture(scope="module")
def pdf(karimun) -> tuple[bytes, float]:
    start = time.perf_counter()
    content = sk_pdf(karimun)
    return content, time.perf_counter() - start


@pytest.fixture(scope="module")
def pages(pdf) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf[0]))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


@pytest.fixture(scope="module")
def text(pages) -> str:
    return " ".join(pages)


def test_it_is_a_pdf_of_several_pages(pdf, pages):
    assert pdf[0].startswith(b"%PDF-")
    assert len(pages) > 1


def test_it_is_fast_enough_for_a_web_request(pdf):
    # 5-8 s on a loaded 2-CPU machine; the bound only catches a regression by an order of magnitude.
    assert pdf[1] < 60


def test_it_names_the_pemda_and_the_decree(text, pages):
    assert "PEMERINTAH KABUPATEN KARIMUN" in pages[0]
    assert "KEPUTUSAN KEPALA DINAS TENAGA KERJA KABUPATEN KARIMUN" in pages[0]
    assert "NOMOR 560/412/DISNAKER/2025" in pages[0]
    # Later pages carry the pemda and the number in the running header.
    assert "PEMERINTAH KABUPATEN KARIMUN" in pages[-1]
    assert "560/412/DISNAKER/2025" in pages[-1]


def test_it_numbers_every_page(pages):
    for number, page in enumerate(pages, start=1):
        assert f"Halaman {number} dari {len(pages)}" in page


def test_it_cites_the_legal_basis_and_the_iuran_regulations(text):
    for cited in (
        "Undang-Undang Nomor 40 Tahun 2004 tentang Sistem Jaminan Sosial Nasional",
        "Undang-Undang Nomor 24 Tahun 2011 tentang Badan Penyelenggara Jaminan Sosial",
        "Peraturan Pemerintah Nomor 44 Tahun 2015 tentang Penyelenggaraan Program Jaminan Kecelakaan Kerja",
        "Instruksi Presiden Nomor 2 Tahun 2021",
        # from the iuran computation's aturan, written out in full
        "Peraturan Pemerintah Nomor 44 Tahun 2015 Lampiran II jo. Peraturan Pemerintah Nomor 82 Tahun 2019",
    ):
        assert cited in text
    assert "PKS.01/KRM/XI/2025 tanggal 13 November 2025" in text


def test_it_decrees_in_four_diktum(text):
    positions = [text.index(word) for word in ("Menimbang", "Mengingat", "MEMUTUSKAN", "Menetapkan",
                                               "KESATU", "KEDUA", "KETIGA", "KEEMPAT")]
    assert positions == sorted(positions)
    assert "mulai berlaku pada tanggal ditetapkan" in text


def test_it_states_the_count_the_iuran_and_the_total_in_figures_and_words(text):
    assert "sebanyak 953 (sembilan ratus lima puluh tiga) orang" in text
    assert "Rp16.800 (Enam belas ribu delapan ratus rupiah) per orang per bulan" in text
    assert "Rp32.020.800 (Tiga puluh dua juta dua puluh ribu delapan ratus rupiah)" in text
    assert "tiga puluh dua juta dua puluh ribu delapan ratus rupiah" in text.lower()
    assert "APBD Kabupaten/Kota Pemerintah Kabupaten Karimun Tahun Anggaran 2025" in text


def test_it_states_the_coverage_period(text):
    assert "1 November 2025 s.d. 31 Desember 2025 (2 bulan)" in text


def test_it_signs_the_decree_and_the_lampiran(text):
    assert text.count("Ditetapkan di Tanjung Balai Karimun pada tanggal 13 November 2025") == 2
    assert text.count("Drs. Ahmad Fauzi, M.Si.") == 2


def test_the_lampiran_lists_every_enrolled_person_in_order(karimun, text):
    assert "LAMPIRAN" in text
    assert "No NIK Nama Tanggal Lahir L/P Desa/Kelurahan Kecamatan Pekerjaan" in text
    first, second, last = karimun.peserta[0], karimun.peserta[1], karimun.peserta[-1]
    assert f"1 {first.nik} {first.nama} 1 Januari 1960 L Pongkar Tebing Nelayan" in text
    assert f"2 {second.nik} {second.nama} 2 Februari 1961 P Baran Barat Meral Ojek pangkalan" in text
    assert f"953 {last.nik} {last.nama}" in text
    # Every NIK appears, and in the order given.
    positions = [text.index(p.nik) for p in karimun.peserta]
    assert positions == sorted(positions)


def test_the_numbering_stops_at_953(karimun, text):
    last = karimun.peserta[-1]
    assert re.search(rf"\b953 {last.nik}\b", text)
    assert not re.search(r"\b954 \d{16}\b", text)


def test_a_person_not_enrolled_is_absent(text):
    assert OUTSIDER.nik not in text
    assert OUTSIDER.nama not in text


def test_the_lampiran_ends_with_the_totals_and_the_notes(pages):
    end = pages[-1]
    assert "Jumlah penerima : 953 orang" in end
    assert "Jumlah iuran : Rp32.020.800" in end
    assert "Catatan: Masa perlindungan 2 bulan: kurang dari 3 bulan, manfaat JKM Rp10.000.000" in end


def test_it_escapes_what_people_typed(karimun):
    odd = dataclasses.replace(karimun.peserta[0], nama="Budi <b>& Sons</b>")
    html = sk_html(dataclasses.replace(karimun, peserta=(odd,), catatan=()))
    assert "Budi &lt;b&gt;&amp; Sons&lt;/b&gt;" in html
    assert "<b>& Sons" not in html


def test_it_refuses_a_decree_without_people(karimun):
    with pytest.raises(SkError, match="tanpa peserta"):
        sk_html(dataclasses.replace(karimun, peserta=()))


def test_it_refuses_a_person_listed_twice(karimun):
    twice = karimun.peserta[:3] + (karimun.peserta[1],)
    with pytest.raises(SkError, match=r"NIK \d{16} tercantum dua kali \(nomor 2 dan 4\)"):
        lampiran_xlsx(dataclasses.replace(karimun, peserta=twice))


def test_it_refuses_a_period_that_ends_before_it_starts(karimun):
    with pytest.raises(SkError):
        sk_html(dataclasses.replace(karimun, selesai=date(2025, 10, 31)))


def test_it_omits_the_pks_when_there_is_none(karimun):
    html = sk_html(dataclasses.replace(karimun, pks_nomor="", pks_tanggal=None, peserta=karimun.peserta[:2]))
    assert "Memperhatikan" not in html


# --- xlsx ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def xlsx(karimun) -> bytes:
    return lampiran_xlsx(karimun)


@pytest.fixture(scope="module")
def sheet(xlsx) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(xlsx)).get_sheet_by_index(0).to_python(skip_empty_area=False)


def _header_index(sheet) -> int:
    return next(i for i, row in enumerate(sheet) if tuple(row[: len(HEADER)]) == HEADER)


def test_the_xlsx_has_a_title_block_naming_the_decree(sheet):
    title = " ".join(str(cell) for row in sheet[:_header_index(sheet)] for cell in row if cell)
    assert "560/412/DISNAKER/2025" in title
    assert "Perlindungan Pekerja Rentan Kabupaten Karimun 2025" in title
    assert "1 November 2025 s.d. 31 Desember 2025 (2 bulan)" in title


def test_the_xlsx_lists_953_people_with_nik_as_text_and_real_dates(karimun, sheet):
    head = _header_index(sheet)
    rows = sheet[head + 1: head + 1 + 953]
    assert [int(row[0]) for row in rows] == list(range(1, 954))
    assert sheet[head + 954][0] == ""  # nothing after the 953rd
    assert all(isinstance(row[1], str) and len(row[1]) == 16 for row in rows)
    assert [row[1] for row in rows] == [p.nik for p in karimun.peserta]
    assert rows[0][2:] == [karimun.peserta[0].nama, date(1960, 1, 1), "L", "Pongkar", "Tebing", "Nelayan"]
    assert rows[-1][2] == karimun.peserta[-1].nama
    assert all(isinstance(row[3], date) for row in rows)


def test_the_xlsx_ends_with_the_totals(sheet):
    totals = {row[2]: row[3] for row in sheet[_header_index(sheet) + 954:] if row[2]}
    assert totals["Jumlah penerima (orang)"] == 953
    assert totals["Iuran per orang per bulan"] == 16_800
    assert totals["Jumlah iuran"] == 32_020_800
    assert totals["Terbilang"] == "Tiga puluh dua juta dua puluh ribu delapan ratus rupiah"


def test_the_xlsx_freezes_the_header_and_sets_widths(xlsx):
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert 'state="frozen"' in xml
    assert "<cols>" in xml and 'customWidth="1"' in xml


# --- terbilang ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("amount", "words"), [
    (0, "nol rupiah"),
    (11, "sebelas rupiah"),
    (100, "seratus rupiah"),
    (1_000, "seribu rupiah"),
    (16_800, "enam belas ribu delapan ratus rupiah"),
    (1_000_000, "satu juta rupiah"),
    (32_020_800, "tiga puluh dua juta dua puluh ribu delapan ratus rupiah"),
    (659_265_600, "enam ratus lima puluh sembilan juta dua ratus enam puluh lima ribu enam ratus rupiah"),
    (3_024_000_000, "tiga miliar dua puluh empat juta rupiah"),
])
def test_terbilang_spells_rupiah_in_indonesian(amount, words):
    assert terbilang(amount) == words


def test_terbilang_refuses_what_is_not_whole_rupiah():
    with pytest.raises(TypeError):
        terbilang(16800.0)
    with pytest.raises(SkError):
        terbilang(-1)


def test_it_writes_regulation_abbreviations_in_full():
    assert formal_regulation("PP 44/2015 jo. PP 82/2019 dan PP 49/2023") == (
        "Peraturan Pemerintah Nomor 44 Tahun 2015 jo. Peraturan Pemerintah Nomor 82 Tahun 2019 "
        "dan Peraturan Pemerintah Nomor 49 Tahun 2023"
    )
    assert formal_regulation("Permenaker 5/2021") == "Peraturan Menteri Ketenagakerjaan Nomor 5 Tahun 2021"
    assert formal_regulation("Keputusan Bupati") == "Keputusan Bupati"


def test_a_decree_of_the_bupati_has_no_office_line(karimun):
    html = sk_html(dataclasses.replace(karimun, penandatangan_jabatan="Bupati Karimun", peserta=karimun.peserta[:2]))
    assert "KEPUTUSAN BUPATI KARIMUN" in html
    assert 'class="instansi"' not in html


def test_a_missing_birth_date_is_shown_as_a_dash_and_left_blank_in_the_xlsx(karimun):
    unknown = dataclasses.replace(karimun.peserta[0], tanggal_lahir=None)
    data = dataclasses.replace(karimun, peserta=(unknown,))
    assert re.search(rf"{unknown.nama} +– +L ", sk_html(data))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(lampiran_xlsx(data))).get_sheet_by_index(0).to_python()
    assert rows[_header_index(rows) + 1][3] == ""


def test_mengingat_cites_each_regulation_once(karimun):
    from lindung.reports.sk import MENGINGAT, _context

    from dataclasses import replace

    data = replace(karimun, aturan=("PP 44/2015", "PP 49/2023", "PP 44/2015 jo. PP 82/2019", "PP 44/2015 jo. PP 82/2019"))
    cited = _context(data)["mengingat"]
    assert cited[: len(MENGINGAT)] == list(MENGINGAT)
    assert cited.count("Peraturan Pemerintah Nomor 44 Tahun 2015") == 0  # cited by the long item already
    assert sum("Nomor 82 Tahun 2019" in item for item in cited) == 1  # a repeated rule once
    assert len(cited) == len(MENGINGAT) + 1
