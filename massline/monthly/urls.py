from django.urls import path

from massline.pagecache.generations import MONTHLY
from massline.pagecache.pages import public_page

from . import views

app_name = "monthly"
urlpatterns = [
    path("", public_page(MONTHLY)(views.problem_list), name="list"),
    path("<int:pk>/", public_page(MONTHLY)(views.problem_detail), name="detail"),
]
