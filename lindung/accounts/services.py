"""Accounts work spanning models: the demo user."""

from django.contrib.auth import get_user_model

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "lindung-demo-2025"


def ensure_demo_user():
    """Create (or reset the password of) the demo user. Only `lindung demo` calls this."""
    user, _created = get_user_model().objects.get_or_create(
        username=DEMO_USERNAME, defaults={"first_name": "Operator", "last_name": "Demo"}
    )
    # The demo user sees every demo programme (all pemda) and the admin pages.
    user.is_staff = user.is_superuser = True
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user
