from django.urls import path

from . import views

app_name = "webhooks"
urlpatterns = [
    path("", views.webhooks, name="list"),
    path("<int:pk>/<slug:change>/", views.change, name="change"),
]
