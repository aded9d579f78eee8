"""The counts in a decision's messages are written as Indonesians read them (100.000, not 100000)."""

from lindung.verification import services


def test_the_count_of_a_large_decision_is_grouped_by_thousands(people):
    program = people.program_a
    last = len(program.levels) - 1
    chosen = [services.Chosen(pk, 1, "", last) for pk in range(3)]
    assert services.decided_message(program, chosen, 100_000, "layak") == (
        "100.000 calon diputuskan layak dan kini terverifikasi (tingkat terakhir).")
    assert services.decided_message(program, chosen, 2_500, "tidak_layak") == "2.500 calon diputuskan tidak layak."
    result = services.BulkResult(stale=list(range(12_000)), own=12_000)
    assert services.nothing_decided_message(result, "keputusan Anda pukul 10.00").startswith(
        "Tidak ada calon yang diputuskan: semuanya")
    result = services.BulkResult(stale=list(range(12_000)), own=1_500)
    assert "1.500 sudah Anda putuskan sendiri" in services.nothing_decided_message(result, "keputusan Anda pukul 10.00")
    assert services.stale_summary(services.BulkResult(stale=list(range(12_000)))) == [
        "… dan 12.000 calon lain yang sudah diputuskan pengguna lain."]
