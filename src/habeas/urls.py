from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "habeas administration"
admin.site.site_title = "habeas"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("habeas.api.urls")),
    path("documents/", include("habeas.documents.urls")),
    path("deadlines/", include("habeas.deadlines.urls")),
    path("petitions/", include("habeas.petitions.urls")),
    path("reference/", include("habeas.reference.urls")),
    path("dna/", include("habeas.dnaweb.urls")),
    path("", include("habeas.web.urls")),
]
