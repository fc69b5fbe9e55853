from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("reconciliations/", include("duizhang.apps.reconciliations.urls")),
    path("audit/", include("duizhang.apps.audit.urls")),
    path("risk/", include("duizhang.apps.risk.urls")),
    path("notifications/", include("duizhang.apps.notifications.urls")),
    path("statements/", include("duizhang.apps.statements.urls")),
    path("disputes/", include("duizhang.apps.confirmations.urls")),
    path("portal/", include("duizhang.apps.portal.urls")),
    path("", include("duizhang.apps.portal.account_urls")),  # before web: its /login/ wins
    path("", include("duizhang.apps.web.urls")),
]
