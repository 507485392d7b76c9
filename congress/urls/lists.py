from django.urls import path

from congress.views import lists as v

app_name = "lists"

urlpatterns = [
    path("", v.index, name="index"),
    path("danh-sach/<int:pk>/", v.detail, name="detail"),
    path("danh-sach/<int:pk>/phat-hien/", v.findings, name="findings"),
    path("danh-sach/<int:pk>/tim-can-bo/", v.search, name="search"),
    path("danh-sach/<int:pk>/them/", v.add, name="add"),
    path("danh-sach/<int:pk>/them-nhieu/", v.add_many, name="add_many"),
    path("danh-sach/<int:pk>/them-cap-uy-khoa-truoc/", v.add_outgoing, name="add_outgoing"),
    path("danh-sach/<int:pk>/xuat-excel/", v.export, name="export"),
    path("danh-sach/<int:pk>/ban-in/", v.print_view, name="print"),
    path("danh-sach/<int:pk>/chuyen/trinh/", v.submit, name="submit"),
    path("danh-sach/<int:pk>/chuyen/tra-lai/", v.return_, name="return"),
    path("danh-sach/<int:pk>/chuyen/phe-duyet/", v.approve, name="approve"),
    path("danh-sach/<int:pk>/chuyen/khoa/", v.lock, name="lock"),
    path("danh-sach/<int:pk>/chuyen/mo-lai/", v.reopen, name="reopen"),
    path("danh-sach/<int:pk>/giai-trinh/", v.justify, name="justify"),
    path("danh-sach/<int:pk>/ngoai-le/", v.exception, name="exception"),
    path("danh-sach/<int:pk>/vong-gioi-thieu/", v.rounds, name="rounds"),
    path("danh-sach/<int:pk>/vong-gioi-thieu/ghi/", v.round_record, name="round_record"),
    path(
        "danh-sach/<int:pk>/vong-gioi-thieu/<int:number>/bien-ban/",
        v.round_minutes,
        name="round_minutes",
    ),
    path("danh-sach/<int:pk>/lich-su/", v.history, name="history"),
    path("danh-sach/<int:pk>/luu-tru/", v.archive, name="archive"),
    path("danh-sach/<int:pk>/khoi-phuc/", v.restore, name="restore"),
    path("<int:pk>/luu-tru/", v.congress_archive, name="congress_archive"),
    path("<int:pk>/khoi-phuc/", v.congress_restore, name="congress_restore"),
    path("danh-sach/<int:pk>/lan/<int:number>/", v.edition, name="edition"),
    path("nguoi/<int:nominee_pk>/sua/", v.update, name="update"),
    path("nguoi/<int:nominee_pk>/bo/", v.remove, name="remove"),
    path("nguoi/<int:nominee_pk>/di-chuyen/", v.move, name="move"),
]
