from django.urls import path

from habeas.petitions import views

app_name = "petitions"

urlpatterns = [
    path("case/<int:case_pk>/", views.packet_form, name="case"),
]
