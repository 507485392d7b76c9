from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from congress.views import dashboard, home
from personnel.urls import import_patterns
from personnel.views import second_factor

admin.site.site_header = "Quản trị — Nhân sự đại hội"
admin.site.site_title = "Nhân sự đại hội"
admin.site.index_title = "Quản trị hệ thống"

handler400 = "congress.views.errors.bad_request"
handler403 = "congress.views.errors.permission_denied"
handler404 = "congress.views.errors.not_found"
handler500 = "congress.views.errors.server_error"

urlpatterns = [
    path("", home.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("suc-khoe/", home.health, name="health"),
    path("xac-thuc-hai-buoc/", second_factor.otp_setup, name="otp_setup"),
    path("xac-thuc-hai-buoc/ma/", second_factor.otp_verify, name="otp_verify"),
    path("favicon.ico", home.favicon, name="favicon"),
    path("bang-theo-doi/", dashboard.dashboard, name="dashboard"),
    path("", include("personnel.urls")),
    path("dai-hoi/", include("congress.urls.lists")),
    path("tham-tra/", include("vetting.urls")),
    path("van-ban/", include("congress.urls.reports")),
    path("quy-hoach/", include("planning.urls")),
    path("nhap-du-lieu/", include(import_patterns)),
    path("admin/", admin.site.urls),
]
