"""The NLU's answer in one shape, whichever implementation produced it."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Entity:
    type: str
    value: object
    text: str = ""
    start: int | None = None
    end: int | None = None
    extractor: str = ""

    def as_dict(self) -> dict:
        return {"entity": self.type, "value": self.value, "text": self.text,
                "start": self.start, "end": self.end}


@dataclass
class NluResult:
    text: str
    intent: str
    confidence: float
    ranking: list[tuple[str, float]] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)

    def read_as(self, intent: str, confidence: float | None = None) -> "NluResult":
        """The same message with `intent` put first: a rule after the model decided it."""
        confidence = self.confidence if confidence is None else confidence
        ranking = [(intent, confidence)] + [(n, s) for n, s in self.ranking if n != intent]
        return NluResult(self.text, intent, confidence, ranking, self.entities)

    def first(self, entity_type: str):
        for e in self.entities:
            if e.type == entity_type:
                return e.value
        return None

    def all(self, entity_type: str) -> list:
        return [e.value for e in self.entities if e.type == entity_type]

    @classmethod
    def from_rasa(cls, data: dict, text: str) -> "NluResult":
        intent = data.get("intent") or {}
        ranking = [(r["name"], float(r["confidence"])) for r in data.get("intent_ranking") or []]
        entities = [
            Entity(e["entity"], e.get("value"), text[e["start"]:e["end"]] if "start" in e else str(e.get("value")),
                   e.get("start"), e.get("end"), e.get("extractor", ""))
            for e in data.get("entities") or []
        ]
        return cls(text, intent.get("name") or "out_of_scope", float(intent.get("confidence") or 0.0),
                   ranking, entities)
