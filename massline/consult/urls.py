from django.urls import path

from massline.pagecache.generations import CONSULT
from massline.pagecache.pages import public_page

from . import views

app_name = "consult"
urlpatterns = [
    path("", public_page(CONSULT)(views.consultation_list), name="list"),
    path("<int:pk>/", public_page(CONSULT)(views.consultation_detail), name="detail"),
    path("<int:pk>/vote/", views.vote_page, name="vote"),
    path("<int:pk>/vote/cast/", views.cast_vote, name="cast_vote"),
    path("<int:pk>/statements/", views.add_statement, name="add_statement"),
    path("<int:pk>/embed/", views.embed_page, {"embed": True}, name="embed"),
    path("<int:pk>/embed/cast/", views.embed_vote, {"embed": True}, name="embed_vote"),
    path("<int:pk>/embed/statements/", views.embed_statement, {"embed": True}, name="embed_statement"),
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/new/", views.manage_new, name="manage_new"),
    path("manage/<int:pk>/", views.manage_detail, name="manage"),
    path("manage/<int:pk>/moderation/", views.moderation_queue, name="moderation"),
    path("manage/<int:pk>/export.zip", views.manage_export, name="export"),
    path("manage/<int:pk>/<slug:action>/", views.manage_action, name="manage_action"),
]
