from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "kopiena.communities"
    label = "communities"

    def ready(self) -> None:
        from kopiena.core.extensions import contribute

        from .contributions import CONTRIBUTIONS

        contribute(*CONTRIBUTIONS)
