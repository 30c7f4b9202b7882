from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_search_index(sender, using="default", **kwargs):
    from django.db import connections

    from habeas.documents.dbops import ensure_index

    ensure_index(connections[using])


class DocumentsConfig(AppConfig):
    name = "habeas.documents"
    verbose_name = "Documents"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_migrate.connect(_ensure_search_index, sender=self, dispatch_uid="documents-search-index")
