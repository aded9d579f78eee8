"""Settings of protection over time that a pemda may need to change when BPJS confirms a rule."""

from __future__ import annotations

from django.db import models

from lindung.domain.masa_iur import GapRule


class MasaIurRule(models.Model):
    """Whether a month without contribution resets the masa iur count, from a date, with its basis.

    Until a row says otherwise the built-in cautious rule applies (a gap resets: domain.md §8 item 4,
    `lindung.domain.masa_iur.CAUTIOUS`). A row is added, not edited, when the rule changes, so a claim
    of an earlier date is still checked under the rule of its time."""

    berlaku = models.DateField("berlaku sejak", unique=True)
    jeda_memutus = models.BooleanField("jeda iuran memutus hitungan", default=True)
    dasar = models.CharField("dasar (surat/aturan BPJS)", max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["berlaku"]
        verbose_name = "aturan masa iur"
        verbose_name_plural = "aturan masa iur"

    def __str__(self) -> str:
        return f"sejak {self.berlaku:%d-%m-%Y}: {'jeda memutus' if self.jeda_memutus else 'jeda tidak memutus'}"

    def as_rule(self) -> GapRule:
        return GapRule(berlaku=self.berlaku, gap_resets=self.jeda_memutus, dasar=self.dasar)
