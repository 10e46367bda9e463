from django.urls import path

from . import views

app_name = "hotline"
urlpatterns = [
    path("", views.calls, name="calls"),
    path("take/", views.take, name="take"),
    path("lookup/", views.lookup, name="lookup"),
    path("lookup/resend/", views.resend, name="resend"),
    path("answers/", views.answers, name="answers"),
    path("answers/new/", views.answer_new, name="answer_new"),
    path("answers/<int:pk>/", views.answer_edit, name="answer_edit"),
]
