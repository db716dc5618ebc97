from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "kopiena.practices"
    label = "practices"

    def ready(self) -> None:
        from kopiena.core.extensions import ApiRouter, contribute

        from .api import router
        from .contributions import CONTRIBUTIONS

        contribute(*CONTRIBUTIONS, ApiRouter(prefix="practices", router=router))
