from django.http import HttpResponseRedirect


class SafeDateHierarchyMixin:
    """Django's admin answers an absurd date-hierarchy year (?due_at__year=99999999999) with an
    OverflowError, a 500. Treat it like any other bad filter: back to the list with ?e=1."""

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except OverflowError:
            return HttpResponseRedirect(f"{request.path}?e=1")
