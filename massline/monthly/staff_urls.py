from django.urls import path

from . import staff_views

app_name = "monthly_staff"
urlpatterns = [
    path("", staff_views.staff_list, name="list"),
    path("new/", staff_views.staff_new, name="new"),
    path("<int:pk>/", staff_views.staff_detail, name="detail"),
    path("<int:pk>/consult/", staff_views.staff_consult, name="consult"),
]
