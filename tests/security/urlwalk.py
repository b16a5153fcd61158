"""Every URL pattern of the project, found by walking the resolver, with a concrete sample URL for each.

Anonymous checks need no real objects (the login check runs before the view), so every pattern gets a
sample URL built from its converters or regex. Checks as a logged-in role need real objects: the URL
name's arguments come from URL_KWARGS (ours below, and each app's tests/<app>/quality.py).
"""

import re
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

SAMPLES = ["1", "x", "abc", "2024", "00000000-0000-0000-0000-000000000001", "a/b"]


@dataclass(frozen=True)
class Endpoint:
    name: str  # "namespace:name", or "<unnamed>" + route
    route: str  # the pattern as written, joined over the include()s
    sample: str  # a concrete URL that resolves to this pattern ("" when none could be built)
    arg_names: tuple = field(default=())
    callback: object = None

    @property
    def has_args(self):
        return bool(self.arg_names)


def _sample_for_regex(regex: str) -> str:
    text = regex.lstrip("^").rstrip("$").replace(r"\Z", "")

    def group(match):
        body = match.group(2)
        if re.fullmatch(r"[\w-]+(\|[\w-]+)*", body):
            return body.split("|")[0]
        for candidate in SAMPLES:
            if re.fullmatch(body, candidate):
                return candidate
        return "1"

    text = re.sub(r"\((\?P<\w+>)?([^()]*)\)", group, text)
    return text.replace("\\", "")


def _sample_for_route(pattern) -> str:
    route = str(pattern)

    def converter(match):
        name = match.group(2)
        conv = pattern.converters.get(name)
        for candidate in SAMPLES:
            if conv is None or re.fullmatch(conv.regex, candidate):
                return candidate
        return "1"

    return re.sub(r"<(?:(\w+):)?(\w+)>", converter, route)


def _piece(pattern) -> tuple[str, str, tuple]:
    """(route text, sample text, argument names) for one level of the URL tree."""
    inner = pattern.pattern
    if hasattr(inner, "converters") and hasattr(inner, "_route"):
        names = tuple(re.findall(r"<(?:\w+:)?(\w+)>", inner._route))
        return inner._route, _sample_for_route(inner), names
    regex = inner._regex
    names = tuple(re.findall(r"\(\?P<(\w+)>", regex))
    unnamed = re.findall(r"\((?!\?)", regex)
    return regex, _sample_for_regex(regex), names + tuple("arg" for _ in unnamed)


def walk(resolver=None, prefix="", sample="", namespace="", args=()):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route, piece, names = _piece(pattern)
        joined_route = prefix + route.lstrip("^")
        joined_sample = sample + piece
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}{pattern.namespace}:"
            yield from walk(pattern, joined_route, joined_sample, ns, args + names)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {joined_route}>"
            url = "/" + joined_sample
            try:
                match = resolve(url)
                if match.func is not pattern.callback and getattr(match, "route", None) != joined_route:
                    url = ""
            except Resolver404:
                url = ""
            yield Endpoint(name, joined_route, url, args + names, pattern.callback)


def endpoints() -> list[Endpoint]:
    """Each URL pattern once (the first pattern of a name wins, as in reverse())."""
    seen, result = set(), []
    for endpoint in walk():
        key = (endpoint.name, endpoint.route)
        if key not in seen:
            seen.add(key)
            result.append(endpoint)
    return result
