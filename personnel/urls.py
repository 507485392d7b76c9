from django.urls import path

from personnel.views import imports, notifications, registry

app_name = "personnel"

urlpatterns = [
    path("don-vi/", registry.unit_tree, name="unit_tree"),
    path("don-vi/<str:code>/", registry.unit_detail, name="unit_detail"),
    path("can-bo/", registry.cadre_list, name="cadre_list"),
    path("can-bo/<int:pk>/", registry.cadre_detail, name="cadre_detail"),
    path("thong-bao/", notifications.notifications, name="notifications"),
    path("thong-bao/da-doc/", notifications.notifications_read, name="notifications_read"),
]

# Mounted under nhap-du-lieu/ with the namespace "imports".
import_patterns = (
    [
        path("", imports.upload, name="upload"),
        path("xac-nhan/", imports.confirm, name="confirm"),
        path("export/", imports.export, name="export"),
    ],
    "imports",
)
