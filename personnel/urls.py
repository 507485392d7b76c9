from django.urls import path

from personnel import views

app_name = "personnel"

urlpatterns = [
    path("don-vi/", views.unit_tree, name="unit_tree"),
    path("don-vi/<str:code>/", views.unit_detail, name="unit_detail"),
    path("can-bo/", views.cadre_list, name="cadre_list"),
    path("can-bo/<int:pk>/", views.cadre_detail, name="cadre_detail"),
]
