from __future__ import annotations

from django.urls import path

from duizhang.apps.confirmations import views

app_name = "confirmations"

urlpatterns = [
    path("", views.dispute_inbox, name="inbox"),
    path("<int:pk>/", views.dispute_detail, name="dispute"),
    path("<int:pk>/reply/", views.dispute_reply, name="reply"),
    path("<int:pk>/status/", views.dispute_status, name="status"),
    path("<int:pk>/resolve/", views.dispute_close, name="resolve"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
