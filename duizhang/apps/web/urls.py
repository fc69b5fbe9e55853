from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from duizhang.apps.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="web/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("customers/<int:pk>/", views.customer_detail, name="customer"),
    path("customers/<int:pk>/notes/", views.customer_note_add, name="customer-note"),
    path("imports/new/", views.import_upload, name="import-upload"),
    path("imports/<str:token>/", views.import_review, name="import-preview"),
    path("imports/<str:token>/columns/", views.import_columns, name="import-columns"),
]
