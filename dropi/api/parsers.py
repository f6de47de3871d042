"""Request parsers: JSON that refuses pathological nesting with a 400."""

from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class SafeJSONParser(JSONParser):
    """Parse JSON; a body nested deeper than Python can recurse is a 400.

    The standard parser only turns ``ValueError`` into a parse error; a
    body of a few kilobytes of nested brackets raises ``RecursionError``
    while decoding or validating, which would otherwise be a 500.
    """

    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError("JSON nested too deeply.") from exc
