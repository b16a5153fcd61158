"""A memo that lives as long as one request, for facts about the request's user that several parts of a
page ask for (the regions they lead, the council areas they work for, their unread notifications).

`RequestMemoMiddleware` gives the request's user an empty memo; `request_memo(user, key, load)` returns the
value stored under the key, loading it the first time. A user object that did not come from a request
(a test's, a task's, a service's argument) has no memo, so every call loads afresh there: nothing is
kept between requests and nothing goes stale outside one."""

from django.utils.functional import SimpleLazyObject, empty

_ATTRIBUTE = "_request_memo"


def request_memo(user, key, load):
    """The value of load() for this user, computed once per request (every time outside a request)."""
    memo = getattr(user, _ATTRIBUTE, None)
    if memo is None:
        return load()
    if key not in memo:
        memo[key] = load()
    return memo[key]


def _with_memo(user):
    setattr(user, _ATTRIBUTE, {})
    return user


class RequestMemoMiddleware:
    """After AuthenticationMiddleware: the request's user (still loaded lazily) carries a fresh memo."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        lazy_user = getattr(request, "user", None)
        if lazy_user is not None:
            request.user = SimpleLazyObject(lambda: _with_memo(_unwrap(lazy_user)))
        return self.get_response(request)


def _unwrap(user):
    if isinstance(user, SimpleLazyObject):
        if user._wrapped is empty:
            user._setup()
        return user._wrapped
    return user
