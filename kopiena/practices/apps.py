from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "kopiena.practices"
    label = "practices"

    def ready(self) -> None:
        from kopiena.core.extensions import contribute

        from .contributions import CONTRIBUTIONS

        contribute(*CONTRIBUTIONS)
