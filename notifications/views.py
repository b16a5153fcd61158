from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.pagination import CappedPaginator

from . import selectors, services


def notification_list_view(request):
    page = CappedPaginator(selectors.notification_list_for(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page_obj": page})


@require_POST
def notification_mark_read_view(request):
    count = services.notification_mark_read(actor=request.user)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect("notifications:list")
