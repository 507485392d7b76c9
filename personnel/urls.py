from django.urls import path

from personnel.views import archive, imports, notifications, registry

app_name = "personnel"

urlpatterns = [
    path("don-vi/", registry.unit_tree, name="unit_tree"),
    path("don-vi/<str:code>/", registry.unit_detail, name="unit_detail"),
    path("can-bo/", registry.cadre_list, name="cadre_list"),
    path("don-vi/<str:code>/luu-tru/", archive.unit_archive, name="unit_archive"),
    path("don-vi/<str:code>/khoi-phuc/", archive.unit_restore, name="unit_restore"),
    path("can-bo/<int:pk>/", registry.cadre_detail, name="cadre_detail"),
    path("can-bo/<int:pk>/luu-tru/", archive.cadre_archive, name="cadre_archive"),
    path("can-bo/<int:pk>/khoi-phuc/", archive.cadre_restore, name="cadre_restore"),
    path("can-bo/<int:pk>/nhat-ky-truy-cap/", registry.cadre_access_log, name="cadre_access_log"),
    path("luu-tru/", archive.archive_index, name="archive_index"),
    path("thong-bao/", notifications.notifications, name="notifications"),
    path("thong-bao/da-doc/", notifications.notifications_read, name="notifications_read"),
]

# Mounted under nhap-du-lieu/ with the namespace "imports".
import_patterns = (
    [
        path("", imports.upload, name="upload"),
        path("mau/", imports.template, name="template"),
        path("export/", imports.export, name="export"),
        path("<int:pk>/", imports.job, name="job"),
        path("<int:pk>/trang-thai/", imports.job_status, name="job_status"),
        path("<int:pk>/xac-nhan/", imports.confirm, name="confirm"),
        path("<int:pk>/luu-mau/", imports.save_preset, name="save_preset"),
        path("<int:pk>/huy/", imports.cancel, name="cancel"),
        path("<int:pk>/tep-loi/", imports.error_file, name="error_file"),
    ],
    "imports",
)
