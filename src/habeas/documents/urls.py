from django.urls import path

from habeas.documents import views

app_name = "documents"

urlpatterns = [
    path("search/", views.search_view, name="search"),
    path("case/<int:case_pk>/", views.case_documents, name="case"),
    path("case/<int:case_pk>/upload/", views.upload, name="upload"),
    path("case/<int:case_pk>/search/", views.search_view, name="case-search"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/status/", views.status, name="status"),
    path("<int:pk>/file/", views.download, name="file"),
    path("<int:pk>/pages/<int:number>.png", views.page_image, name="page-image"),
    path("<int:pk>/extract/", views.reextract, name="extract"),
    path("events/<int:pk>/<str:decision>/", views.decide_event, name="event-decide"),
]
