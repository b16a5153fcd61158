from django.contrib import admin

from .models import ReportText


@admin.register(ReportText)
class ReportTextAdmin(admin.ModelAdmin):
    list_display = ("county", "year", "updated_at")
    list_filter = ("year", "county")
    list_select_related = ("county",)
