from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The top layer: the home page, municipality hub pages, dashboards, site-wide search and
    the demo, composed from what every app contributes (kopiena.core.extensions)."""

    name = "kopiena.portal"
    label = "portal"
