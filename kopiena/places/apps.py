from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "kopiena.places"
    label = "places"

    def ready(self) -> None:
        from kopiena.core.extensions import ApiRouter, contribute

        from .api import router

        contribute(ApiRouter(prefix="municipalities", router=router))
