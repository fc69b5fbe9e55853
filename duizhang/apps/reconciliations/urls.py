from __future__ import annotations

from django.urls import path

from duizhang.apps.reconciliations import views

app_name = "reconciliations"

urlpatterns = [
    path("", views.reconciliation_list, name="list"),
    path("new/", views.reconciliation_new, name="new"),
    path("<int:pk>/", views.reconciliation_detail, name="detail"),
    path("<int:pk>/status.json", views.reconciliation_status, name="status"),
    path("<int:pk>/run/", views.rerun, name="run"),
    path("<int:pk>/match/", views.match, name="match"),
    path("<int:pk>/groups/<int:group>/unmatch/", views.unmatch, name="unmatch"),
    path(
        "<int:pk>/suggestions/<int:suggestion>/<str:decision>/",
        views.suggestion_decide,
        name="suggestion",
    ),
    path("<int:pk>/resolve/", views.resolve, name="resolve"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/review/<str:decision>/", views.review, name="review"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/export.<str:kind>", views.export, name="export"),
]
