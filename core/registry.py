"""What other apps register in their AppConfig.ready() so that an app lower in the order can call them
without importing them (listeners, panels, annotations, guards): each provider once, called in the order
registered (the order of INSTALLED_APPS)."""


class Registry:
    def __init__(self):
        self._providers = []

    def register(self, provider):
        if provider not in self._providers:
            self._providers.append(provider)
        return provider

    def __iter__(self):
        return iter(list(self._providers))


class Annotations(Registry):
    """Values other apps read together with an object on its page, in the same query, so that their
    panels there cost no query of their own (the page's query budget, tests/performance). A provider
    returns {name: expression}, e.g. a subquery on the app's own table; the page's selector annotates
    the object with all of them."""

    def expressions(self) -> dict:
        found = {}
        for provider in self:
            found.update(provider())
        return found
