from django.apps import AppConfig


class DnawebConfig(AppConfig):
    name = "habeas.dnaweb"
    label = "dnaweb"
    verbose_name = "DNA comparison matrix and database search"

    def ready(self) -> None:
        from habeas.dnaweb import signals  # noqa: F401  (connects post_save on STRProfile)
