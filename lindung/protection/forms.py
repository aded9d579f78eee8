from django import forms

from lindung.lib.forms import RupiahField


class RenewalForm(forms.Form):
    slug = forms.SlugField(label="Kode program baru", max_length=60, help_text="mis. ppu-2026-kab", error_messages={
        "invalid": "Kode program hanya boleh huruf, angka, garis bawah dan tanda hubung, tanpa spasi (mis. ppu-2026-kab)."})
    nama = forms.CharField(label="Nama program baru", max_length=200, required=False,
                           help_text="kosongkan: nama lama dengan tahun baru")
    pagu = RupiahField(label="Pagu tahun baru (rupiah)", min_value=1, help_text="mis. 3.024.000.000")
    mulai = forms.DateField(label="Awal perlindungan", widget=forms.DateInput(attrs={"type": "date"}))
    selesai = forms.DateField(label="Akhir perlindungan", widget=forms.DateInput(attrs={"type": "date"}))
    verifikasi_ulang = forms.BooleanField(label="Minta putaran verifikasi ulang", required=False)
    kohort = forms.BooleanField(label="Langsung bentuk kohort (KPJ peserta terdaftar dibawa)", required=False,
                                initial=True)


class ClaimForm(forms.Form):
    nik = forms.CharField(label="NIK peserta", max_length=16, min_length=16)
    jenis = forms.ChoiceField(label="Jenis klaim", choices=[("jkm", "JKM (meninggal bukan karena kecelakaan kerja)"),
                                                            ("jkk_kematian", "JKK meninggal (kecelakaan kerja)"),
                                                            ("beasiswa", "Beasiswa anak")])
    tanggal = forms.DateField(label="Tanggal meninggal/kecelakaan", widget=forms.DateInput(attrs={"type": "date"}))
    ahli_waris = forms.CharField(label="Nama ahli waris", max_length=150)
    penghasilan = RupiahField(
        label="Penghasilan terdaftar di BPJS (JKK, rupiah)", min_value=1, required=False,
        help_text="Penghasilan yang tercatat di BPJS untuk peserta ini (untuk BPU biasanya penghasilan penetapan "
                  "manfaat PP 44/2015 Lampiran II, mis. Rp1.000.000). Santunan kematian JKK = 48 × penghasilan, "
                  "paling sedikit santunan kematian JKM.",
    )
    anak = forms.IntegerField(label="Jumlah anak (beasiswa)", min_value=1, max_value=20, required=False)
    sebab = forms.ChoiceField(label="Sebab (beasiswa)", required=False,
                              choices=[("", "-"), ("jkk", "Kecelakaan kerja"), ("jkm", "Meninggal bukan karena kerja")])


class ClaimAnswerForm(forms.Form):
    hasil = forms.ChoiceField(choices=[("dibayar", "Dibayar"), ("ditolak", "Ditolak")])
    jumlah = RupiahField(label="Jumlah dibayar BPJS (rupiah)", min_value=0, required=False)
    tanggal = forms.DateField(label="Tanggal dibayar", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    alasan = forms.CharField(label="Alasan penolakan", max_length=255, required=False)
