from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "kopiena.surveys"
    label = "surveys"
