from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kopiena.accounts"
    label = "accounts"

    def ready(self) -> None:
        from kopiena.core.extensions import DemoData, contribute

        from .demo import demo_people_load

        contribute(DemoData(app_label="accounts", load=demo_people_load))
