from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "habeas.reference"
    verbose_name = "Reference data"
