"""Every field of our models shown in the Django admin is labelled in Indonesian.

A field without a verbose_name is labelled with its name ("created at", "token hash", "object id"): English
on a page of a Bahasa Indonesia application. A label equal to that generated one passes only for a field
whose name is itself Indonesian and reads right as it is (the allow-list below, commented)."""

from django.contrib import admin

# Field names whose generated label is already the Indonesian term (terms of art of the domain, see the
# house style's one spelling each): nothing to translate.
INDONESIAN_NAMES = {
    "nama",  # name of a programme / token
    "kode",  # a record's code
    "pemda", "wilayah",  # the local government; the user's area
    "program",  # a programme (the same word)
    "urutan",  # order of the list
    "aktif",  # switched on
    "sumber_dana", "kode_kepesertaan", "pekerjaan_diizinkan", "tingkat_verifikasi",  # Program settings
    "hari_jatuh_tempo",  # the due day
}


def _generated(field) -> bool:
    return str(field.verbose_name) == field.name.replace("_", " ")


def test_every_admin_field_of_our_models_has_an_indonesian_label():
    unlabelled = []
    for model in admin.site._registry:
        if not model.__module__.startswith("lindung."):
            continue  # Django's own (users, groups) come translated with LANGUAGE_CODE="id"
        for field in model._meta.get_fields():
            if (field.auto_created and not field.concrete) or field.name == "id" or not hasattr(field, "verbose_name"):
                continue
            if _generated(field) and field.name not in INDONESIAN_NAMES:
                unlabelled.append(f"{model._meta.label}.{field.name}")
    assert unlabelled == []


def test_the_allow_list_holds_only_names_still_in_use():
    """A name left on the list after its field was renamed or labelled would let an English one through."""
    used = {f.name for model in admin.site._registry if model.__module__.startswith("lindung.")
            for f in model._meta.get_fields() if hasattr(f, "verbose_name") and _generated(f)}
    assert INDONESIAN_NAMES <= used
