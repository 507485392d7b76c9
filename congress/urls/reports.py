from django.urls import path

from congress.views import reports as views

app_name = "reports"

urlpatterns = [
    path("", views.report_home, name="home"),
    path("tao/", views.job_create, name="create"),
    path("yeu-cau/<int:pk>/", views.job_detail, name="job"),
    path("yeu-cau/<int:pk>/trang-thai/", views.job_status, name="job_status"),
    path("yeu-cau/<int:pk>/tai-ve/", views.job_download, name="download"),
    path("yeu-cau/<int:pk>/tai-ve-word/", views.job_download_docx, name="download_docx"),
    path("kiem-tra/", views.verify_form, name="verify_form"),
    path("kiem-tra/<str:code>/", views.verify_code, name="verify"),
]
