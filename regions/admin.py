from django.contrib import admin

from .hooks import appointment_listeners
from .models import Appointment, CouncilArea, County, Municipality, Person, Region, RegionCounty, RegionMembership


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "valid_from", "valid_to"]
    search_fields = ["number", "name"]
    list_filter = ["valid_to"]
    filter_horizontal = ["predecessors"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "county", "valid_from", "valid_to"]
    search_fields = ["number", "name", "official_label"]
    list_filter = ["county", "valid_from", "valid_to"]
    autocomplete_fields = ["predecessors"]
    list_select_related = ["county"]


class MembershipInline(admin.TabularInline):
    model = RegionMembership
    extra = 0
    autocomplete_fields = ["municipality"]
    fields = ["municipality", "valid_from", "valid_to", "decided_on", "decision_reference", "confidence", "note"]


class RegionCountyInline(admin.TabularInline):
    model = RegionCounty
    extra = 0
    fields = ["county", "role", "valid_from", "valid_to", "confidence", "source", "note"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "host_county", "organisational_model", "confidence", "valid_from", "valid_to"]
    search_fields = ["name", "slug", "description"]
    list_filter = ["host_county", "partner_counties", "organisational_model", "confidence"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["partner_counties"]
    inlines = [RegionCountyInline, MembershipInline]


@admin.register(RegionMembership)
class RegionMembershipAdmin(admin.ModelAdmin):
    list_display = ["municipality", "region", "valid_from", "valid_to", "confidence"]
    search_fields = ["municipality__name", "municipality__number", "region__name", "note"]
    list_filter = ["confidence", "region", "valid_from", "valid_to"]
    autocomplete_fields = ["municipality", "region"]
    list_select_related = ["municipality", "region"]


class AppointmentInline(admin.TabularInline):
    model = Appointment
    extra = 0
    fk_name = "person"
    autocomplete_fields = ["region", "council_area", "county"]
    fields = ["role", "region", "council_area", "county", "side", "party", "valid_from", "valid_to", "appointed_by"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "party", "email", "user"]
    search_fields = ["name", "email", "title", "party"]
    list_filter = ["party"]
    autocomplete_fields = ["user"]
    inlines = [AppointmentInline]

    def save_formset(self, request, form, formset, change):
        """An appointment started or ended here has the same consequences as on the registry pages."""
        super().save_formset(request, form, formset, change)
        if formset.model is Appointment:
            for appointment in formset.new_objects + [obj for obj, _fields in formset.changed_objects]:
                appointment_listeners.notify(appointment=appointment)


@admin.register(CouncilArea)
class CouncilAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "county", "councillor", "party", "valid_from", "valid_to", "confidence"]
    search_fields = ["name", "slug", "councillor__name", "period_note"]
    list_filter = ["county", "confidence"]
    autocomplete_fields = ["councillor"]
    list_select_related = ["county", "councillor"]


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "region", "council_area", "county", "side", "valid_from", "valid_to"]
    search_fields = ["person__name", "region__name", "council_area__name", "party"]
    list_filter = ["role", "side", "appointed_by", "region"]
    autocomplete_fields = ["person", "region", "council_area", "county"]
    list_select_related = ["person", "region", "council_area", "county"]

    def save_model(self, request, obj, form, change):
        """An appointment started or ended here has the same consequences as on the registry pages."""
        super().save_model(request, obj, form, change)
        appointment_listeners.notify(appointment=obj)
