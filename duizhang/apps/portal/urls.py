from __future__ import annotations

from django.urls import path

from duizhang.apps.portal import dispute_views, statement_views, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("open-items/", views.open_items, name="open-items"),
    path("payments/", views.payments, name="payments"),
    path("help/", views.help_page, name="help"),
    path("statements/", statement_views.statement_list, name="statements"),
    path("statements/<int:pk>/", statement_views.statement_detail, name="statement"),
    path(
        "statements/<int:pk>/download.<str:extension>",
        statement_views.statement_download,
        name="statement-download",
    ),
    path("statements/<int:statement>/dispute/", dispute_views.dispute_new, name="dispute-new"),
    path("disputes/", dispute_views.dispute_list, name="disputes"),
    path("disputes/<int:pk>/", dispute_views.dispute_detail, name="dispute"),
    path("attachments/<int:pk>/", dispute_views.attachment_download, name="attachment"),
    path("link/<str:token>/", statement_views.statement_link, name="statement_link"),
    path(
        "link/<str:token>/download.<str:extension>",
        statement_views.statement_link_download,
        name="statement_link-download",
    ),
]
