"""HTML -> PDF with WeasyPrint, and nothing else: importable in a child process without Django set up.

The SK job may render volumes in SK_PROSES child processes (lindung.enrolment.papers); each child imports
only this module and WeasyPrint, gets an HTML string and returns the PDF's bytes.
"""

from __future__ import annotations

import logging

from lindung.lib.gcpause import gc_paused


def render_pdf(html: str) -> bytes:
    progress = logging.getLogger("weasyprint.progress")
    if progress.level == logging.NOTSET:
        # The root logger is at INFO: without this every PDF logs a line per page. LOGGING may override.
        progress.setLevel(logging.WARNING)
    # Imported here: WeasyPrint loads Pango when imported, and the xlsx and HTML paths do not need it.
    from weasyprint import HTML

    with gc_paused():
        return HTML(string=html).write_pdf()
