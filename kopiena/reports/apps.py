from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "kopiena.reports"
    label = "reports"

    def ready(self) -> None:
        from kopiena.core.extensions import ApiRouter, contribute

        from .api import router

        contribute(ApiRouter(prefix="reports", router=router))
