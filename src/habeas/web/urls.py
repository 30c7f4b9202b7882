from django.contrib.auth import views as auth_views
from django.urls import path

from habeas.web import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.case_list, name="case-list"),
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
    path("cases/<int:case_pk>/evidence/<int:pk>/", views.evidence_detail, name="evidence-detail"),
]
