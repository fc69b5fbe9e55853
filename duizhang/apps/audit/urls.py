from __future__ import annotations

from django.urls import path

from duizhang.apps.audit import views

app_name = "audit"

urlpatterns = [path("", views.record_list, name="records")]
