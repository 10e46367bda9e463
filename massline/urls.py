from django.contrib import admin
from django.urls import include, path

from massline.portal.photos import serve_attachment

urlpatterns: list = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("massline.api.urls")),
    path("staff/console/webhooks/", include("massline.webhooks.urls")),
    path("staff/console/notifications/", include("massline.notify.console_urls")),
    path("staff/console/routing-models/", include("massline.learning.urls")),
    path("staff/console/", include("massline.console.urls")),
    path("staff/monthly/", include("massline.monthly.staff_urls")),
    path("staff/calls/", include("massline.hotline.urls")),
    path("staff/open311/", include("massline.open311out.urls")),
    path("staff/", include("massline.workbench.urls")),
    path("consult/", include("massline.consult.urls")),
    # photos only through a view that checks the reader's right; MEDIA_URL is never served
    path("attachments/<int:pk>/", serve_attachment, name="attachment"),
    path("notify/", include("massline.notify.urls")),
    path("open-data/", include("massline.opendata.urls")),
    path("monthly/", include("massline.monthly.urls")),
    path("", include("massline.subscriptions.urls")),  # follow/ and feeds/
    path("", include("massline.portal.urls")),
]
