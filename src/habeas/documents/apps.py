from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "habeas.documents"
    verbose_name = "Documents"
