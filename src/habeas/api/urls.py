"""URLs of the API: ``/api/…`` (see docs/api.md)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from habeas.api import optional, views
from habeas.api.token import ObtainToken

router = DefaultRouter()
router.register("cases", views.CaseViewSet, basename="case")
router.register("people", views.RoleViewSet, basename="person")
router.register("convictions", views.ConvictionViewSet, basename="conviction")
router.register("evidence-items", views.EvidenceItemViewSet, basename="evidenceitem")
router.register("custody-events", views.CustodyEventViewSet, basename="custodyevent")
router.register("lab-requests", views.LabRequestViewSet, basename="labrequest")
router.register("lab-results", views.LabResultViewSet, basename="labresult")
router.register("str-profiles", views.STRProfileViewSet, basename="strprofile")
router.register("timeline-events", views.TimelineEventViewSet, basename="timelineevent")
router.register("decisions", views.DecisionViewSet, basename="decision")
OPTIONAL_AREAS = optional.register(router)

app_name = "api"
urlpatterns = [
    path("auth/token/", ObtainToken.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("", include(router.urls)),
]
