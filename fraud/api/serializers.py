from rest_framework import serializers

from fraud.models import FraudCase


class FraudCaseDecideInputSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default=""
    )


class FraudCaseOutputSerializer(serializers.ModelSerializer):
    decided_by = serializers.CharField(source="decided_by.email", default=None)

    class Meta:
        model = FraudCase
        fields = [
            "id",
            "order",
            "score",
            "reasons",
            "status",
            "decided_by",
            "decided_at",
            "decision_note",
            "created_at",
        ]
        read_only_fields = fields
