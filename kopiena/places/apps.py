from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "kopiena.places"
    label = "places"
