"""HTML -> PDF for the privacy app's papers (subject-access answer, breach notices), as reports.sk does it."""

from __future__ import annotations

import logging

from lindung.lib.gcpause import gc_paused


def html_to_pdf(html: str) -> bytes:
    progress = logging.getLogger("weasyprint.progress")
    if progress.level == logging.NOTSET:
        # The root logger is at INFO: without this every PDF logs a line per page. LOGGING may override.
        progress.setLevel(logging.WARNING)
    from weasyprint import HTML  # loads Pango: only when a PDF is made

    with gc_paused():
        return HTML(string=html).write_pdf()
