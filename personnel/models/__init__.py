"""The registry (units, posts, terms, cadres and their dossier, role grants), the audit trail
and notifications every app writes through, the stored rule-set versions, and the
spreadsheet import jobs and presets."""

from personnel.models.audit import AuditLog, Notification
from personnel.models.imports import ImportJob, ImportKind, ImportPreset
from personnel.models.registry import (
    CCCD_RE,
    Achievement,
    Body,
    Cadre,
    CommitteeMembership,
    Discipline,
    DisciplineLevel,
    FamilyRelation,
    Level,
    PartyUnit,
    PartyUnitUserObjectPermission,
    PoliticalTheory,
    Post,
    Rating,
    RatingLevel,
    Relation,
    Role,
    Sex,
    Tenure,
    Term,
    Training,
    add_years,
    path_ids,
)
from personnel.models.ruleset_versions import RuleSetVersion

__all__ = [
    "CCCD_RE",
    "Achievement",
    "AuditLog",
    "Body",
    "Cadre",
    "CommitteeMembership",
    "Discipline",
    "DisciplineLevel",
    "FamilyRelation",
    "ImportJob",
    "ImportKind",
    "ImportPreset",
    "Level",
    "Notification",
    "PartyUnit",
    "PartyUnitUserObjectPermission",
    "PoliticalTheory",
    "Post",
    "Rating",
    "RatingLevel",
    "Relation",
    "Role",
    "RuleSetVersion",
    "Sex",
    "Tenure",
    "Term",
    "Training",
    "add_years",
    "path_ids",
]
