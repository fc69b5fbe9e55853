from __future__ import annotations

from django.urls import path

from duizhang.apps.statements import views

app_name = "statements"

urlpatterns = [
    path("", views.statement_list, name="list"),
    path("new/", views.statement_new, name="new"),
    path("<int:pk>/", views.statement_detail, name="detail"),
    path("<int:pk>/download.<str:kind>", views.statement_download, name="download"),
    path("<int:pk>/send/", views.statement_send, name="send"),
    path("<int:pk>/answer/", views.statement_record_confirmation, name="record"),
]
