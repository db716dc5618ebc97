from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "kopiena.network"
    label = "network"

    def ready(self) -> None:
        from kopiena.core.extensions import ApiRouter, contribute

        from .api import router

        contribute(ApiRouter(prefix="news", router=router))
