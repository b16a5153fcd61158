"""The adviser's archive page: what was handed to the archive, when, its state and receipt or error,
and "send again" for what failed."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import call_service_messages

from . import permissions as perms
from . import services
from .filters import ArchiveMessageFilter
from .selectors import archive_message_get_for_user, archive_message_list_visible_to


def archive_message_list_view(request):
    """Every archive message of the cases the adviser sees, newest first, filtered and paginated."""
    if not perms.can_view_archive(request.user):
        raise PermissionDenied
    message_filter = ArchiveMessageFilter(
        request.GET, queryset=archive_message_list_visible_to(user=request.user).order_by("-created_at", "sequence")
    )
    page = Paginator(message_filter.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "archive/message_list.html",
        {
            "filter": message_filter,
            "page_obj": page,
            "archive_messages": page.object_list,
            "query_string": query.urlencode(),
        },
    )


@require_POST
def archive_message_send_again_view(request, pk):
    """Put one failed message back in the queue."""
    message = archive_message_get_for_user(user=request.user, pk=pk)
    if not perms.can_send_archive_message_again(request.user, message):
        raise PermissionDenied
    if call_service_messages(request, lambda: services.archive_message_send_again(message=message, actor=request.user)):
        messages.success(request, _("The message is back in the queue and is delivered within a minute."))
    return redirect(
        reverse("archive:message-list") + "?" + request.GET.urlencode()
        if request.GET
        else reverse("archive:message-list")
    )
