from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "kopiena.network"
    label = "network"

    def ready(self) -> None:
        from kopiena.core.extensions import contribute

        from .contributions import CONTRIBUTIONS

        contribute(*CONTRIBUTIONS)
