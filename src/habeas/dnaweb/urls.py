from django.urls import path

from habeas.dnaweb import views

app_name = "dnaweb"

urlpatterns = [
    path("case/<int:case_pk>/matrix/", views.case_matrix, name="case-matrix"),
    path("case/<int:case_pk>/matrix/recompute/", views.recompute, name="case-matrix-recompute"),
    path("case/<int:case_pk>/matrix/status/", views.matrix_status, name="case-matrix-status"),
    path("case/<int:case_pk>/compare/<int:ev_pk>/<int:ref_pk>/", views.pair, name="pair"),
    path("search/", views.search, name="search"),
    path("search/<int:job_pk>/", views.search_job, name="search-job"),
    path("search/<int:job_pk>/status/", views.search_status, name="search-status"),
]
