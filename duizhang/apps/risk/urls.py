from __future__ import annotations

from django.urls import path

from duizhang.apps.risk import views

app_name = "risk"

urlpatterns = [
    path("", views.alert_list, name="alerts"),
    path("check/", views.alert_check, name="check"),
    path("<int:pk>/acknowledge/", views.alert_acknowledge_view, name="acknowledge"),
]
