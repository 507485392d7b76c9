from django.urls import path

from vetting import views

app_name = "vetting"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("mo-ho-so/", views.case_open, name="case_open"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/noi-dung/", views.item_record, name="item_record"),
    path("<int:pk>/ket-luan/", views.case_conclude, name="case_conclude"),
    path("<int:pk>/nhat-ky-truy-cap/", views.read_log, name="read_log"),
    path("<int:pk>/luu-tru/", views.case_archive, name="case_archive"),
    path("<int:pk>/khoi-phuc/", views.case_restore, name="case_restore"),
]
