from django.urls import path

from habeas.deadlines import views

app_name = "deadlines"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("rules/", views.rules_index, name="rules"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("case/<int:case_pk>/", views.case_deadlines, name="case"),
    path("case/<int:case_pk>/filings/add/", views.filing_add, name="filing-add"),
    path("case/<int:case_pk>/filings/<int:pk>/edit/", views.filing_edit, name="filing-edit"),
    path("case/<int:case_pk>/add/", views.deadline_add, name="deadline-add"),
    path("case/<int:case_pk>/aedpa/", views.aedpa_compute, name="aedpa"),
    path("case/<int:case_pk>/period/", views.period_compute, name="period"),
    path("<int:pk>/", views.deadline_detail, name="deadline-detail"),
    path("<int:pk>/status/", views.deadline_status, name="deadline-status"),
    path("feed/<str:token>/deadlines.ics", views.feed_user, name="feed-user"),
    path("feed/<str:token>/case/<int:case_pk>.ics", views.feed_case, name="feed-case"),
]
