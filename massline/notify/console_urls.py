"""The delivery log, in the operator console (/staff/console/notifications/)."""

from django.urls import path

from . import views_log

app_name = "notifylog"
urlpatterns = [
    path("", views_log.delivery_log, name="delivery_log"),
    path("<int:pk>/send-again/", views_log.send_again, name="send_again"),
]
