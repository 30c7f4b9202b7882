"""URLs of the web UI (all but login require a signed-in user)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from habeas.web import profile_upload, views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html",
                                                redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/password/", views.PasswordChange.as_view(), name="password-change"),
    path("", views.case_list, name="case-list"),
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
    path("cases/<int:case_pk>/notes/add/", views.note_add, name="note-add"),
    path("cases/<int:case_pk>/evidence/add/", views.evidence_add, name="evidence-add"),
    path("cases/<int:case_pk>/evidence/<int:pk>/", views.evidence_detail, name="evidence-detail"),
    path("cases/<int:case_pk>/evidence/<int:pk>/custody/add/", views.custody_add, name="custody-add"),
    path("cases/<int:case_pk>/lab-requests/add/", views.labrequest_add, name="labrequest-add"),
    path("cases/<int:case_pk>/lab-requests/<int:pk>/results/add/", views.labresult_add, name="labresult-add"),
    path("cases/<int:case_pk>/lab-results/<int:result_pk>/profiles/add/", profile_upload.profile_upload,
         name="profile-upload"),
    path("cases/<int:case_pk>/timeline/add/", views.timeline_add, name="timeline-add"),
]
