"""The taxonomy: what a label means, and how it maps onto the Christchurch Call TVEC categories and
Tech Against Terrorism's TCAP tiers so decisions can be exchanged with other platforms.

`reporting` is a *context*, not a harm label: a news report that quotes incitement carries `reporting`
and the quoted span is still found and scored.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Label(StrEnum):
    THREAT = "threat"
    INCITEMENT = "incitement"
    GLORIFICATION = "glorification"
    RECRUITMENT = "recruitment"
    MATERIAL_SUPPORT = "material_support"
    INSTRUCTION = "instruction"
    OFFICIAL_PROPAGANDA = "official_propaganda"
    REPORTING = "reporting"


@dataclass(frozen=True, slots=True)
class LabelInfo:
    label: Label
    meaning: str
    tvec: str
    tcap_tier: int | None
    severity: int  # 0 (context) .. 5 (credible threat to life); drives strikes and queue priority


TAXONOMY: dict[Label, LabelInfo] = {
    info.label: info
    for info in (
        LabelInfo(Label.THREAT, "credible threat to life: a target plus place, time, weapon or plan", "TVEC2", 1, 5),
        LabelInfo(Label.INCITEMENT, "calls on others to commit violence", "TVEC8", 4, 4),
        LabelInfo(Label.INSTRUCTION, "how to make weapons or carry out attacks", "TVEC3/TVEC5", 4, 4),
        LabelInfo(Label.MATERIAL_SUPPORT, "fundraising, supplies or money for a terrorist group", "TVEC4", 4, 3),
        LabelInfo(Label.RECRUITMENT, "calls to join, migrate to or contact a terrorist group", "TVEC6", 4, 3),
        LabelInfo(Label.OFFICIAL_PROPAGANDA, "branded output of a designated group or its media arm", "TVEC1", 3, 3),
        LabelInfo(Label.GLORIFICATION, "praise or celebration of an attack, attackers or a terrorist group", "TVEC7", 4, 2),
        LabelInfo(Label.REPORTING, "news, research, education or counter-speech about any of the above", "TVEC.01", None, 0),
    )
}

HARM_LABELS: tuple[Label, ...] = tuple(label for label in Label if label is not Label.REPORTING)
ALL_LABELS: tuple[Label, ...] = tuple(Label)


def parse_label(value: str) -> Label:
    """Return the `Label` named by `value`; raise `InvalidLabel` listing the valid names otherwise."""
    from vigil.core.errors import InvalidLabel

    try:
        return Label(value.strip().lower())
    except ValueError as exc:
        raise InvalidLabel(value) from exc
