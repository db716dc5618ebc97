from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "kopiena.communities"
    label = "communities"
