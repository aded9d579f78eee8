from django.contrib import admin

from lindung.coverage.models import MasaIurRule

admin.site.register(MasaIurRule)
