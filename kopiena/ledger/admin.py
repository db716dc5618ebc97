from django.contrib import admin

from .models import LedgerItem


@admin.register(LedgerItem)
class LedgerItemAdmin(admin.ModelAdmin):
    """Read-only: every change goes through the services, so the timeline stays whole."""

    list_display = ["title", "municipality", "status", "owner", "due_date", "updated_at"]
    list_filter = ["status", "kind", "municipality"]
    search_fields = ["title"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
