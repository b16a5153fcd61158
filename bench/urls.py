"""The portal's URLs and, for the load benchmark only, a bare-Django baseline: a logged-in request
through the same middleware that runs one trivial query and returns a few bytes."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.cache import never_cache

from accounts.models import User
from viken.urls import handler400, handler403, handler404, handler500  # noqa: F401
from viken.urls import urlpatterns as portal_urlpatterns


@never_cache
def baseline_view(request):
    """What Django itself costs per request on this server: one trivial query."""
    found = User.objects.filter(pk=request.user.pk).exists()
    return HttpResponse("ok" if found else "no", content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/baseline/", baseline_view, name="bench-baseline"), *portal_urlpatterns]
