from django.urls import path

from planning import views

app_name = "planning"

urlpatterns = [
    path("", views.index, name="index"),
    path("tao/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/them/", views.entry_add, name="entry_add"),
    path("<int:pk>/muc/<int:entry_pk>/dua-ra/", views.entry_remove, name="entry_remove"),
    path("<int:pk>/muc/<int:entry_pk>/su-dung/", views.entry_use, name="entry_use"),
    path("<int:pk>/giai-trinh/", views.justify, name="justify"),
    path("<int:pk>/trinh/", views.submit, name="submit"),
    path("<int:pk>/tra-lai/", views.return_, name="return"),
    path("<int:pk>/phe-duyet/", views.approve, name="approve"),
    path("<int:pk>/ra-soat/", views.review, name="review"),
    path("<int:pk>/ra-soat/xac-nhan/", views.review_confirm, name="review_confirm"),
    path("<int:pk>/ra-soat/ghi-nhan/", views.review_record, name="review_record"),
    path("<int:pk>/lich-su/", views.history, name="history"),
]
