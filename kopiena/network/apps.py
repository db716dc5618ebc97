from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "kopiena.network"
    label = "network"

    def ready(self) -> None:
        from kopiena.core.extensions import ApiRouter, contribute

        from .api import router
        from .contributions import CONTRIBUTIONS

        contribute(*CONTRIBUTIONS, ApiRouter(prefix="news", router=router))
