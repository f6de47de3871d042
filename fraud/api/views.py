from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dropi.api.schema import PRIVATE_ERRORS
from fraud.api.permissions import CanDecideFraudCase
from fraud.api.serializers import (
    FraudCaseDecideInputSerializer,
    FraudCaseOutputSerializer,
)
from fraud.selectors import fraud_case_list
from fraud.services import fraud_case_approve, fraud_case_reject


class _FraudCaseDecideApi(APIView):
    """Decide an open fraud case through the service named by ``service``."""

    permission_classes = [CanDecideFraudCase]
    service: Any

    @extend_schema(
        request=FraudCaseDecideInputSerializer,
        responses={200: FraudCaseOutputSerializer, **PRIVATE_ERRORS},
        tags=["fraude"],
    )
    def post(self, request: Request, case_id: str) -> Response:
        serializer = FraudCaseDecideInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = get_object_or_404(fraud_case_list(), pk=case_id)

        case = self.service(
            case=case, actor=request.user, note=serializer.validated_data["note"]
        )

        return Response(FraudCaseOutputSerializer(case).data)


class FraudCaseApproveApi(_FraudCaseDecideApi):
    service = staticmethod(fraud_case_approve)


class FraudCaseRejectApi(_FraudCaseDecideApi):
    service = staticmethod(fraud_case_reject)
