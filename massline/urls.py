from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns: list = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("massline.api.urls")),
    path("staff/console/", include("massline.console.urls")),
    path("staff/", include("massline.workbench.urls")),
    path("consult/", include("massline.consult.urls")),
    path("", include("massline.portal.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
