from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "habeas.petitions"
    verbose_name = "Petitions and packets"
