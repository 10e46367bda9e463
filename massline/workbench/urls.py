from django.contrib.auth import views as auth_views
from django.urls import path

from massline.accounts.login import login_view

from .views import board, dashboard, detail, moderation, queues, visits

app_name = "workbench"
urlpatterns = [
    path("", queues.home, name="home"),
    path("login/", login_view, name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="workbench:login"), name="logout"),
    path("queue/", queues.dispatch_queue, name="dispatch_queue"),
    path("queue/map/", queues.dispatch_map, name="dispatch_map"),
    path("queue/bulk/", queues.dispatch_bulk, name="dispatch_bulk"),
    path("unit/", queues.unit_queue, name="unit_queue"),
    path("reports/", queues.reports, name="reports"),
    path("requests/", queues.all_requests, name="requests"),
    path("r/<str:reference>/", detail.detail, name="detail"),
    path("r/<str:reference>/do/<str:action>/", detail.act, name="act"),
    path("r/<str:reference>/print/", detail.print_work_order, name="print"),
    path("held/", moderation.held_queue, name="held"),
    path("supervision/", board.supervision_board, name="supervision"),
    path("supervision/sweep/", board.run_sweep, name="sweep"),
    path("supervision/<int:pk>/resolve/", board.resolve, name="resolve_supervision"),
    path("visits/", visits.visit_list, name="visits"),
    path("visits/new/", visits.visit_new, name="visit_new"),
    path("visits/<int:pk>/", visits.visit_detail, name="visit"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/proactive/", dashboard.proactive_task, name="proactive_task"),
]
