from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "habeas.api"
    label = "habeas_api"
    verbose_name = "REST API"
