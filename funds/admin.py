from django.contrib import admin

from .models import Allocation, FundEntry, FundYear, Income, Payment, Project, UseReport


class IncomeInline(admin.TabularInline):
    model = Income
    extra = 0


@admin.register(FundYear)
class FundYearAdmin(admin.ModelAdmin):
    list_display = ("region", "county", "year")
    list_filter = ("year", "county")
    search_fields = ("region__name",)
    list_select_related = ("region", "county")
    inlines = [IncomeInline]


@admin.register(Income)
class IncomeAdmin(admin.ModelAdmin):
    list_display = ("__str__", "fund_year", "source", "amount")
    list_filter = ("source",)
    list_select_related = ("fund_year__region",)
    raw_id_fields = ("fund_year",)


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "region")
    search_fields = ("name",)
    list_select_related = ("region",)
    raw_id_fields = ("priority",)


@admin.register(Allocation)
class AllocationAdmin(admin.ModelAdmin):
    list_display = ("__str__", "fund_year", "amount")
    list_select_related = ("fund_year__region", "priority", "project")
    raw_id_fields = ("fund_year", "priority", "project")


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ("allocation", "paid_on", "amount")
    list_select_related = ("allocation__priority", "allocation__project")
    raw_id_fields = ("allocation",)


@admin.register(UseReport)
class UseReportAdmin(admin.ModelAdmin):
    list_display = ("allocation", "reported_on", "amount_used")
    list_select_related = ("allocation__priority", "allocation__project")
    raw_id_fields = ("allocation",)


@admin.register(FundEntry)
class FundEntryAdmin(admin.ModelAdmin):
    """The history is append-only: read it here, never change it."""

    list_display = ("fund_year", "kind", "label", "old_value", "new_value", "actor", "at")
    list_filter = ("kind",)
    list_select_related = ("fund_year__region", "actor")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
