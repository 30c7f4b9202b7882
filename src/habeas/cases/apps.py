from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "habeas.cases"
    verbose_name = "Cases and evidence"
