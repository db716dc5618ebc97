from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "kopiena.communities"
    label = "communities"

    def ready(self) -> None:
        from kopiena.core.extensions import ApiRouter, contribute

        from .api import router
        from .contributions import CONTRIBUTIONS

        contribute(*CONTRIBUTIONS, ApiRouter(prefix="communities", router=router))
