"""Django's JSON Lines serialiser, without its one loss: DjangoJSONEncoder cuts datetimes and
times to milliseconds (for JavaScript), which would change every timestamp a restore brings back
and break the audit chain, whose hashes cover the microseconds. Loading uses the stock
deserialiser; it reads the full precision."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder

FORMAT = "duizhang-jsonl"


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


class Serializer(jsonl.Serializer):
    def _init_options(self) -> None:
        super()._init_options()  # type: ignore[misc]  # not in the stubs
        self.json_kwargs["cls"] = ExactEncoder


Deserializer = jsonl.Deserializer
