"""What every page needs from the privacy app: the DPO's contact (footer) and whether to show the menu link."""

from django.conf import settings

from lindung.privacy.access import can_read_privacy


def privacy(request) -> dict:
    user = getattr(request, "user", None)
    return {
        "dpo": {"nama": settings.DPO_NAMA, "email": settings.DPO_EMAIL, "telepon": settings.DPO_TELEPON},
        "privacy_nav": bool(user is not None and can_read_privacy(user)),
    }
