from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "kopiena.practices"
    label = "practices"
