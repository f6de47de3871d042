import json
import logging

from dropi.logging import JsonFormatter


def test_json_formatter_puts_extra_values_at_top_level():
    record = logging.LogRecord(
        "catalog.services", logging.INFO, __file__, 1, "Order placed", (), None
    )
    record.order_id = 42

    payload = json.loads(JsonFormatter().format(record))

    assert payload["message"] == "Order placed"
    assert payload["level"] == "INFO"
    assert payload["logger"] == "catalog.services"
    assert payload["order_id"] == 42
    assert payload["time"].endswith("+00:00")
