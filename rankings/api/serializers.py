"""Output shapes of the rankings API."""

from rest_framework import serializers

from rankings.models import RankingEntry


class RankingEntryOutputSerializer(serializers.ModelSerializer):
    entity_id = serializers.IntegerField(read_only=True)
    entity_name = serializers.SerializerMethodField()
    as_of = serializers.DateField(source="run.as_of")
    window_days = serializers.IntegerField(source="run.window_days")

    class Meta:
        model = RankingEntry
        fields = [
            "run",
            "as_of",
            "window_days",
            "rank",
            "previous_rank",
            "movement",
            "score",
            "entity_id",
            "entity_name",
            "revenue",
            "orders",
            "units",
            "review_count",
            "rating",
            "on_time_rate",
            "cancellation_rate",
        ]

    def get_entity_name(self, obj: RankingEntry) -> str:
        entity = obj.store or obj.product
        return entity.name if entity else ""


class RankingHistoryOutputSerializer(serializers.ModelSerializer):
    as_of = serializers.DateField(source="run.as_of")
    window_days = serializers.IntegerField(source="run.window_days")

    class Meta:
        model = RankingEntry
        fields = ["run", "as_of", "window_days", "rank", "movement", "score"]
