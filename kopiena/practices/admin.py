from django.contrib import admin

from .models import Guide, PracticeCase


@admin.register(PracticeCase)
class PracticeCaseAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "municipality", "status", "published_at"]
    list_filter = ["status", "topic"]
    search_fields = ["title"]
    readonly_fields = ["seed_key", "search_key"]


@admin.register(Guide)
class GuideAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "position", "updated_at"]
