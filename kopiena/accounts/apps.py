from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kopiena.accounts"
    label = "accounts"
