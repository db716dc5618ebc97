from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kopiena.core"
    label = "core"
