"""Output shapes of the CRM API."""

from rest_framework import serializers

from crm.models import Customer


class CustomerOutputSerializer(serializers.ModelSerializer):
    orders_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Customer
        fields = [
            "id",
            "user",
            "name",
            "email",
            "phone",
            "city",
            "state",
            "zip_prefix",
            "orders_count",
            "created_at",
        ]
