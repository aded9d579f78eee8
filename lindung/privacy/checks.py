"""`lindung check --deploy` reminds the pemda to name its DPO (UU 27/2022 Pasal 53)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def dpo_designated(app_configs, **kwargs):
    if settings.DPO_NAMA.strip() and (settings.DPO_EMAIL.strip() or settings.DPO_TELEPON.strip()):
        return []
    return [Warning("Pejabat Pelindungan Data Pribadi belum lengkap: isi DPO_NAMA dan DPO_EMAIL atau DPO_TELEPON "
                    "(UU 27/2022 Pasal 53); kontaknya tampil di kaki setiap halaman.", id="lindung.privacy.W001")]
