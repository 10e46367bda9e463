from django.urls import path

from . import feeds, views

app_name = "subscriptions"
urlpatterns = [
    path("follow/", views.follow_area, name="follow"),
    path("follow/request/<str:reference>/", views.follow_request, name="follow_request"),
    path("follow/confirm/<str:token>/", views.confirm, name="confirm"),
    path("follow/stop/<str:token>/", views.stop, name="stop"),
    path("feeds/requests/", feeds.new_requests, name="feed"),
    path("feeds/requests/<str:reference>/", feeds.request_updates, name="request_feed"),
]
