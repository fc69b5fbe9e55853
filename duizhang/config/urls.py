from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("reconciliations/", include("duizhang.apps.reconciliations.urls")),
    path("audit/", include("duizhang.apps.audit.urls")),
    path("risk/", include("duizhang.apps.risk.urls")),
    path("", include("duizhang.apps.web.urls")),
]
