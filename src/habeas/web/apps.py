from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "habeas.web"
    verbose_name = "Web UI"
