from congress.models.audit import AuditLog, Notification
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
from congress.models.reports import IssuedDocument, ReportJob
from congress.models.rulesets import RuleSet
from congress.models.structure import RecomputeJob, StructureSnapshot

__all__ = [
    "AuditLog",
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
    "Notification",
    "RecomputeJob",
    "ReportJob",
    "RoundVote",
    "RuleSet",
    "StructureSnapshot",
]
