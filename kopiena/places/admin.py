from django.contrib import admin

from .models import Municipality


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "atvk", "slug"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "atvk"]
    # The slug is how data and imports refer to a municipality: fixed once loaded.
    readonly_fields = ["slug"]
