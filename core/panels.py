"""Panels other apps add to shared pages, so that no app edits another's templates.

An app registers a provider in its AppConfig.ready():

    from core.panels import home_panels
    home_panels.register(my_provider)

A provider is called with the request (and, for region and county panels, the region or county and the day; for
case panels, the case) and
returns {"template": "<app>/_panel.html", "context": {...}} or None when it has nothing to show.
Panels are shown in registration order (the order of INSTALLED_APPS).
"""

from .registry import Registry


class PanelRegistry(Registry):
    def collect(self, request, *args, **kwargs):
        panels = []
        for provider in self:
            panel = provider(request, *args, **kwargs)
            if panel:
                panels.append(panel)
        return panels


# The start page: provider(request).
home_panels = PanelRegistry()
# The region page: provider(request, region, day).
region_panels = PanelRegistry()
# The county page: provider(request, county, day).
county_panels = PanelRegistry()
# The case page: provider(request, case).
case_panels = PanelRegistry()
