from django.urls import path

from fraud.api.views import FraudCaseApproveApi, FraudCaseRejectApi

urlpatterns = [
    path(
        "casos/<uuid:case_id>/aprobar/",
        FraudCaseApproveApi.as_view(),
        name="fraud-case-approve",
    ),
    path(
        "casos/<uuid:case_id>/rechazar/",
        FraudCaseRejectApi.as_view(),
        name="fraud-case-reject",
    ),
]
