"""What other apps add to an agreement, and do when one is adopted, without the partnerships app
importing them.

The agreement page lists, under each priority, the cases tagged with it. Cases live in an app above
this one, so the cases app registers the function that finds them (in its AppConfig.ready()):

    from partnerships.hooks import priority_cases
    priority_cases.register(case_lists_by_priority)

It is called as provider(user=..., priorities=[...]) and returns [(priority, [case, ...], url), ...]
with the newest of the cases the user may see and the address of a list of all of them; without a
provider the page shows no case lists.

When an agreement is adopted, agreement_adopt calls agreement_adopted_listeners (the archive app
registers its hand-off there).
"""

from regions.hooks import Listeners


class PriorityCases:
    def __init__(self):
        self._provider = None

    def register(self, provider):
        self._provider = provider
        return provider

    def for_priorities(self, *, user, priorities):
        return self._provider(user=user, priorities=priorities) if self._provider else None


priority_cases = PriorityCases()


class AgreementAdoptedListeners(Listeners):
    """What other apps do when an agreement is politically adopted: agreement_adopt calls each
    listener as listener(agreement=..., now=...) inside its transaction, so the adoption and what
    follows it (the archive hand-off) commit together or not at all."""

    def notify(self, *, agreement, now=None):
        self._notify(agreement=agreement, now=now)


agreement_adopted_listeners = AgreementAdoptedListeners()
