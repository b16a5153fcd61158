"""What other apps add to an agreement, without the partnerships app importing them.

The agreement page lists, under each priority, the cases tagged with it. Cases live in an app above
this one, so the cases app registers the function that finds them (in its AppConfig.ready()):

    from partnerships.hooks import priority_cases
    priority_cases.register(case_lists_by_priority)

It is called as provider(user=..., priorities=[...]) and returns [(priority, [case, ...]), ...] with
only the cases the user may see; without a provider the page shows no case lists.
"""


class PriorityCases:
    def __init__(self):
        self._provider = None

    def register(self, provider):
        self._provider = provider
        return provider

    def for_priorities(self, *, user, priorities):
        return self._provider(user=user, priorities=priorities) if self._provider else None


priority_cases = PriorityCases()
