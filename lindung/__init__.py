"""lindung: APBD-funded BPJS Ketenagakerjaan coverage for pekerja rentan."""

__version__ = "0.1.0"
