from django.urls import path

from habeas.reference import views

app_name = "reference"

urlpatterns = [
    path("", views.index, name="index"),
    path("exonerations/", views.exoneration_list, name="exoneration-list"),
    path("exonerations.csv", views.exoneration_csv, name="exoneration-csv"),
    path("exonerations/<int:pk>/", views.exoneration_detail, name="exoneration-detail"),
    path("executions/", views.execution_list, name="execution-list"),
    path("executions.csv", views.execution_csv, name="execution-csv"),
    path("executions/<int:pk>/", views.execution_detail, name="execution-detail"),
    path("analytics/<slug:topic>/", views.analytics_page, name="analytics"),
    path("analytics/<slug:topic>/<slug:section>.csv", views.analytics_csv, name="analytics-csv"),
]
