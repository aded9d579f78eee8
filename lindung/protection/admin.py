from django.contrib import admin

from lindung.protection.models import MasaIurRule

admin.site.register(MasaIurRule)
