from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "kopiena.surveys"
    label = "surveys"

    def ready(self) -> None:
        from kopiena.core.extensions import contribute

        from .contributions import CONTRIBUTIONS

        contribute(*CONTRIBUTIONS)
