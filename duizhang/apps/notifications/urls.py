from __future__ import annotations

from django.urls import path

from duizhang.apps.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("templates/", views.template_list, name="templates"),
    path("templates/edit/", views.template_edit, name="template-edit"),
    path("templates/preview/", views.template_preview, name="template-preview"),
    path("rules/new/", views.rule_edit, name="rule-new"),
    path("rules/<int:pk>/", views.rule_edit, name="rule-edit"),
    path("rules/<int:pk>/run/", views.rule_run_now, name="rule-run"),
    path("log/", views.delivery_log, name="log"),
    path("messages/<int:pk>/", views.message_detail, name="message"),
    path("messages/<int:pk>/resolve/", views.message_resolve_view, name="message-resolve"),
]
