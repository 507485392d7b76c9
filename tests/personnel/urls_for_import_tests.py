"""The project URLs plus the import pages, for the import view tests (the lead includes
personnel.urls_import at "nhap-du-lieu/" in congress/urls.py)."""

from django.urls import include, path

from congress.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("nhap-du-lieu/", include("personnel.urls_import")),
]
