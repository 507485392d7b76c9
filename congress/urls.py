from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from congress import views, views_dashboard

admin.site.site_header = "Quản trị — Nhân sự đại hội"
admin.site.site_title = "Nhân sự đại hội"
admin.site.index_title = "Quản trị hệ thống"

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("suc-khoe/", views.health, name="health"),
    path("bang-theo-doi/", views_dashboard.dashboard, name="dashboard"),
    path("", include("personnel.urls")),
    path("dai-hoi/", include("congress.urls_lists")),
    path("tham-tra/", include("vetting.urls")),
    path("van-ban/", include("congress.urls_reports")),
    path("quy-hoach/", include("personnel.urls_planning")),
    path("nhap-du-lieu/", include("personnel.urls_import")),
    path("admin/", admin.site.urls),
]
