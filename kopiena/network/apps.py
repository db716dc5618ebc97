from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "kopiena.network"
    label = "network"
