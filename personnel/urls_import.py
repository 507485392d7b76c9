from django.urls import path

from personnel import views_import

app_name = "imports"

urlpatterns = [
    path("", views_import.upload, name="upload"),
    path("xac-nhan/", views_import.confirm, name="confirm"),
    path("export/", views_import.export, name="export"),
]
