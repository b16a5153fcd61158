from django.contrib import admin

from .hooks import appointment_listeners, membership_listeners
from .models import (
    Appointment,
    CouncilArea,
    County,
    ElectionTerm,
    Municipality,
    Person,
    Region,
    RegionCounty,
    RegionMembership,
    RegionName,
    RegionOrganisationModel,
    TermException,
)


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "valid_from", "valid_to"]
    search_fields = ["number", "name"]
    list_filter = ["valid_to"]
    filter_horizontal = ["predecessors"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "county", "malform", "valid_from", "valid_to"]
    search_fields = ["number", "name", "official_label"]
    list_filter = ["county", "malform", "valid_from", "valid_to"]
    autocomplete_fields = ["predecessors"]
    list_select_related = ["county"]


class MembershipInline(admin.TabularInline):
    model = RegionMembership
    extra = 0
    autocomplete_fields = ["municipality"]
    fields = ["municipality", "valid_from", "valid_to", "decided_on", "decision_reference", "confidence", "note"]


class RegionNameInline(admin.TabularInline):
    model = RegionName
    extra = 0
    fields = ["name", "valid_from", "valid_to", "confidence", "note", "source"]


class OrganisationModelInline(admin.TabularInline):
    model = RegionOrganisationModel
    extra = 0
    fields = ["model", "valid_from", "valid_to", "confidence", "note", "source"]


class RegionCountyInline(admin.TabularInline):
    model = RegionCounty
    extra = 0
    fields = ["county", "role", "valid_from", "valid_to", "confidence", "source", "note"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "slug",
        "host_county",
        "organisational_model",
        "malform",
        "confidence",
        "valid_from",
        "valid_to",
    ]
    search_fields = ["name", "slug", "description"]
    list_filter = ["host_county", "partner_counties", "organisational_model", "malform", "confidence"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["partner_counties"]
    inlines = [RegionNameInline, OrganisationModelInline, RegionCountyInline, MembershipInline]

    def save_formset(self, request, form, formset, change):
        """Memberships edited here count for what other apps count by them, as on the registry pages."""
        super().save_formset(request, form, formset, change)
        if formset.model is RegionMembership:
            membership_listeners.notify(region_ids={form.instance.pk})


@admin.register(RegionMembership)
class RegionMembershipAdmin(admin.ModelAdmin):
    list_display = ["municipality", "region", "valid_from", "valid_to", "confidence"]
    search_fields = ["municipality__name", "municipality__number", "region__name", "note"]
    list_filter = ["confidence", "region", "valid_from", "valid_to"]
    autocomplete_fields = ["municipality", "region"]
    list_select_related = ["municipality", "region"]

    def save_model(self, request, obj, form, change):
        previous = RegionMembership.objects.filter(pk=obj.pk).values_list("region_id", flat=True).first()
        super().save_model(request, obj, form, change)
        membership_listeners.notify(region_ids={obj.region_id, previous})

    def delete_model(self, request, obj):
        region_id = obj.region_id
        super().delete_model(request, obj)
        membership_listeners.notify(region_ids={region_id})

    def delete_queryset(self, request, queryset):
        region_ids = set(queryset.values_list("region_id", flat=True))
        super().delete_queryset(request, queryset)
        membership_listeners.notify(region_ids=region_ids)


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
    list_display = ["name", "county", "councillor", "party", "valid_from", "valid_to", "confidence", "not_a_portfolio"]
    search_fields = ["name", "slug", "councillor__name", "period_note"]
    list_filter = ["county", "confidence", "not_a_portfolio"]
    autocomplete_fields = ["councillor"]
    list_select_related = ["county", "councillor"]


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "region", "council_area", "county", "side", "valid_from", "valid_to"]
    search_fields = ["person__name", "region__name", "council_area__name", "party"]
    list_filter = ["role", "side", "appointed_by", "region"]
    autocomplete_fields = ["person", "region", "council_area", "county", "term"]
    list_select_related = ["person", "region", "council_area", "county"]

    def save_model(self, request, obj, form, change):
        """An appointment started or ended here has the same consequences as on the registry pages."""
        super().save_model(request, obj, form, change)
        appointment_listeners.notify(appointment=obj)


class TermExceptionInline(admin.TabularInline):
    model = TermException
    extra = 0
    autocomplete_fields = ["region"]
    fields = ["region", "reason", "recorded_by", "recorded_at"]
    readonly_fields = ["recorded_by", "recorded_at"]


@admin.register(ElectionTerm)
class ElectionTermAdmin(admin.ModelAdmin):
    list_display = ["name", "county", "valid_from", "valid_to", "election_date"]
    search_fields = ["name", "county__name"]
    list_filter = ["county"]
    list_select_related = ["county"]
    inlines = [TermExceptionInline]


@admin.register(TermException)
class TermExceptionAdmin(admin.ModelAdmin):
    list_display = ["term", "region", "recorded_at"]
    list_select_related = ["term__county", "region"]
    autocomplete_fields = ["term", "region"]
    search_fields = ["region__name", "reason"]
