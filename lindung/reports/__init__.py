"""Official papers of a programme: the SK penetapan penerima (PDF) and its lampiran (xlsx).

Plain data in, bytes out: not a Django app (no models); the templates are read from this package's
own folder so no setting has to name it.
"""
