from congress.models.congress import (
    BodyKind,
    Congress,
    CongressBody,
    FindingJustification,
    ListState,
    NominationRound,
    Nominee,
    NomineeList,
    NomineeListEdition,
    RoundVote,
)
from congress.models.reports import IssuedDocument, RenderPart, ReportJob
from congress.models.structure import RecomputeJob, StructureSnapshot

__all__ = [
    "BodyKind",
    "Congress",
    "CongressBody",
    "FindingJustification",
    "IssuedDocument",
    "ListState",
    "NominationRound",
    "Nominee",
    "NomineeList",
    "NomineeListEdition",
    "RecomputeJob",
    "RenderPart",
    "ReportJob",
    "RoundVote",
    "StructureSnapshot",
]
