from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "kopiena.ledger"
    label = "ledger"

    def ready(self) -> None:
        from kopiena.core.extensions import contribute

        from .contributions import CONTRIBUTIONS

        contribute(*CONTRIBUTIONS)
