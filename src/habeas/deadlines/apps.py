from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "habeas.deadlines"
    verbose_name = "Deadlines and filings"
