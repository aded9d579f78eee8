"""Pure domain core: stdlib only. No Django, no database, no settings.

Values in, values out. Everything here is tested in milliseconds without a database.
"""
