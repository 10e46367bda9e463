from django.urls import path

from . import views

app_name = "console"
urlpatterns = [
    path("", views.home, name="home"),
    path("events/", views.events, name="events"),
    path("<slug:section>/", views.section_list, name="list"),
    path("<slug:section>/new/", views.section_new, name="new"),
    path("<slug:section>/<int:pk>/", views.section_edit, name="edit"),
    path("<slug:section>/<int:pk>/delete/", views.section_delete, name="delete"),
    path("staff/<int:pk>/password/", views.staff_password, name="staff_password"),
]
