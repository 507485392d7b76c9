from django.urls import path

from congress import views_lists as v

app_name = "lists"

urlpatterns = [
    path("", v.index, name="index"),
    path("danh-sach/<int:pk>/", v.detail, name="detail"),
    path("danh-sach/<int:pk>/phat-hien/", v.findings, name="findings"),
    path("danh-sach/<int:pk>/tim-can-bo/", v.search, name="search"),
    path("danh-sach/<int:pk>/them/", v.add, name="add"),
    path("danh-sach/<int:pk>/them-cap-uy-khoa-truoc/", v.add_outgoing, name="add_outgoing"),
    path("danh-sach/<int:pk>/chuyen/<slug:action>/", v.transition, name="transition"),
    path("danh-sach/<int:pk>/giai-trinh/", v.justify, name="justify"),
    path("danh-sach/<int:pk>/vong-gioi-thieu/", v.rounds, name="rounds"),
    path("danh-sach/<int:pk>/lich-su/", v.history, name="history"),
    path("danh-sach/<int:pk>/lan/<int:number>/", v.edition, name="edition"),
    path("nguoi/<int:nominee_pk>/sua/", v.update, name="update"),
    path("nguoi/<int:nominee_pk>/bo/", v.remove, name="remove"),
    path("nguoi/<int:nominee_pk>/di-chuyen/", v.move, name="move"),
    path("thong-bao/", v.notifications, name="notifications"),
    path("thong-bao/da-doc/", v.notifications_read, name="notifications_read"),
]
