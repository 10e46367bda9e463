"""What a score looks like: per-criterion score, evidence and summary; the weighted overall."""

from __future__ import annotations

from dataclasses import dataclass, field

CRITERIA = ("relevance", "completeness", "explanation", "timeliness", "courtesy")
DEFAULT_WEIGHTS = {
    "relevance": 0.25,
    "completeness": 0.25,
    "explanation": 0.20,
    "timeliness": 0.15,
    "courtesy": 0.15,
}


@dataclass
class CriterionScore:
    """One criterion: a score in [0, 1], the evidence that justified it and a one-line summary."""

    score: float
    evidence: list[str] = field(default_factory=list)
    summary: str = ""


@dataclass
class ReplyScore:
    """The five criteria (timeliness is None without both times), the weighted overall and weights."""

    relevance: CriterionScore
    completeness: CriterionScore
    explanation: CriterionScore
    timeliness: CriterionScore | None
    courtesy: CriterionScore
    overall: float
    weights: dict[str, float]
    substantive: bool = True

    def criteria(self) -> dict[str, CriterionScore | None]:
        return {name: getattr(self, name) for name in CRITERIA}

    @property
    def grade(self) -> int:
        """The overall score on the 1–5 scale used by the hand labels."""
        return 1 + int(round(4 * self.overall))

    def as_row(self) -> dict[str, float | int | str | None]:
        row: dict[str, float | int | str | None] = {}
        for name, crit in self.criteria().items():
            row[name] = None if crit is None else round(crit.score, 3)
        row["overall"] = round(self.overall, 3)
        row["grade"] = self.grade
        return row

    def explain(self) -> str:
        lines = [f"overall {self.overall:.2f} (grade {self.grade}/5)"]
        if not self.substantive:
            lines[0] += ": template-only reply (acknowledgement or forwarding), so 0 whatever its speed"
        for name, crit in self.criteria().items():
            if crit is None:
                lines.append(f"- {name}: n/a (needs the message and reply times)")
                continue
            lines.append(
                f"- {name} {crit.score:.2f} (weight {self.weights.get(name, 0):.2f}): {crit.summary}"
            )
            lines.extend(f"    · {e}" for e in crit.evidence)
        return "\n".join(lines)
