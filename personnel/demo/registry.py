"""The synthetic registry: the unit tree, cadres, tenures, committee bodies, ratings,
achievements, discipline, family relations and training.

Planned in memory first (plain Python records indexed by position, so the same seed gives the
same data whatever primary keys the database hands out), then written with `bulk_create` in
batches: one insert per batch, never a query per cadre.
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from congress.rules.rulesets import PRESETS
from personnel.demo import dossier
from personnel.demo import names as nm

REF = date(2025, 7, 1)  # ages, "current" posts and the 2025 merger are counted from here
MERGER = date(2025, 7, 1)
TERM_YEARS = (2010, 2015, 2020, 2025)
BODY_YEARS = (2020, 2025)
RATING_YEARS = tuple(range(2020, 2026))
BATCH = 5000

PROVINCE_NAME = "An Hòa"
PROVINCE_CCCD = "017"


@dataclass(frozen=True)
class Province:
    """Which province of a multi-province database a seed builds. Province 1 is the demo's
    "An Hòa" with its historical codes (T01, X001, CB000001…: tests and demo logins rely on
    them); province k > 1 gets its own name, CCCD province code and code prefix, so several
    provinces can live side by side in one database (`make bench-scale`)."""

    number: int = 1
    name: str = PROVINCE_NAME
    cccd: str = PROVINCE_CCCD

    @property
    def code(self) -> str:
        return f"T{self.number:02d}"

    def unit_code(self, code: str) -> str:
        """The code of a unit directly under the province (communes, former districts)."""
        return code if self.number == 1 else f"{self.code}.{code}"

    def cadre_code(self, idx: int) -> str:
        seq = f"{idx + 1:06d}"
        return f"CB{seq}" if self.number == 1 else f"CB{self.number:02d}{seq}"


def province(number: int = 1) -> Province:
    """Province `number` (1-based): fictional names distinct from each other and from the
    real provinces hometowns are drawn from, CCCD codes from those the hometowns do not use."""
    if number < 1:
        raise ValueError(number)
    if number == 1:
        return Province()
    taken = {PROVINCE_NAME} | {n for n, _ in nm.PROVINCES}
    name = nm.place_names(random.Random("demo:provinces"), number - 1, taken)[-1]
    used = {c for _, c in nm.PROVINCES} | {PROVINCE_CCCD}
    free = [f"{i:03d}" for i in range(1, 97) if f"{i:03d}" not in used]
    return Province(number=number, name=name, cccd=free[(number - 2) % len(free)])


# The 13 sectors of the family rule (c), as the rule set names them.
SECTORS_13 = PRESETS["CT45-2025"].sectors


def term_code(year: int) -> str:
    return f"{year}-{year + 5}"


# --------------------------------------------------------------------------------------
# Scales


@dataclass(frozen=True)
class Scale:
    name: str
    communes: int
    grassroots_per_commune: tuple[int, int]
    committee_share: float  # share of grassroots units that are party committees (đảng bộ)
    cells_per_committee: tuple[int, int]
    cell_units: int | None  # how many committee units get cells (None: all)
    merged_share: float  # share of communes (besides the first) formed by the 2025 merger
    predecessors: tuple[int, int]
    communes_per_district: int
    cadres: dict[str, tuple[int, int]]  # per unit kind
    min_cadres: int = 0


SCALES: dict[str, Scale] = {
    "tiny": Scale(
        name="tiny",
        communes=2,
        grassroots_per_commune=(5, 5),
        committee_share=0.4,
        cells_per_committee=(2, 2),
        cell_units=1,
        merged_share=0.0,
        predecessors=(3, 3),
        communes_per_district=3,
        cadres={
            "province": (60, 60),
            "commune": (25, 25),
            "committee": (12, 14),
            "chibo": (6, 8),
            "cell": (5, 5),
        },
        min_cadres=150,
    ),
    "district": Scale(
        name="district",
        communes=4,
        grassroots_per_commune=(8, 10),
        committee_share=0.3,
        cells_per_committee=(2, 3),
        cell_units=4,
        merged_share=0.6,
        predecessors=(2, 3),
        communes_per_district=8,
        cadres={
            "province": (300, 300),
            "commune": (130, 170),
            "committee": (60, 80),
            "chibo": (35, 50),
            "cell": (15, 25),
        },
        min_cadres=3000,
    ),
    "province": Scale(
        name="province",
        communes=100,
        grassroots_per_commune=(14, 18),
        committee_share=0.25,
        cells_per_committee=(2, 3),
        cell_units=None,
        merged_share=0.85,
        predecessors=(2, 3),
        communes_per_district=10,
        cadres={
            "province": (600, 600),
            "commune": (130, 170),
            "committee": (50, 80),
            "chibo": (28, 42),
            "cell": (15, 25),
        },
        min_cadres=100_000,
    ),
}


# --------------------------------------------------------------------------------------
# Body specifications per kind of unit


@dataclass(frozen=True)
class BodySpec:
    executive: tuple[int, int] | None  # None: no committee (chi bộ), key posts only
    standing: tuple[int, int] | None
    deputies: tuple[str, ...]
    government: bool  # People's Council / Committee chairs
    standing_heads: tuple[str, ...] = ()
    vice: tuple[tuple[str, int], ...] = ()
    sectors: tuple[str, ...] = ()
    sectors_in_executive: int = 0
    nonlocal_secretary: float = 0.0
    council_chair_is_secretary: float = 0.0
    standing_min_executive: int = 0  # grassroots: a standing committee only from this size


SPECS: dict[str, BodySpec] = {
    "province": BodySpec(
        executive=(40, 50),
        standing=(13, 15),
        deputies=("standing_deputy_secretary", "deputy_secretary", "deputy_secretary"),
        government=True,
        standing_heads=("inspection_chair", "organization_head", "fatherland_front_chair"),
        vice=(("people_committee_vice_chair", 3), ("people_council_vice_chair", 2)),
        sectors=SECTORS_13,
        sectors_in_executive=6,
        nonlocal_secretary=1.0,
        council_chair_is_secretary=0.3,
    ),
    "district": BodySpec(
        executive=(33, 41),
        standing=(11, 13),
        deputies=("standing_deputy_secretary", "deputy_secretary"),
        government=True,
        standing_heads=("inspection_chair", "organization_head", "fatherland_front_chair"),
        vice=(("people_committee_vice_chair", 2), ("people_council_vice_chair", 1)),
        sectors=SECTORS_13,
        sectors_in_executive=5,
        nonlocal_secretary=0.8,
        council_chair_is_secretary=0.3,
    ),
    "commune": BodySpec(
        executive=(15, 27),
        standing=(7, 9),
        deputies=("deputy_secretary", "deputy_secretary"),
        government=True,
        standing_heads=("inspection_chair", "fatherland_front_chair"),
        vice=(("people_committee_vice_chair", 2), ("people_council_vice_chair", 1)),
        sectors=("sector:police", "sector:military"),
        sectors_in_executive=2,
        nonlocal_secretary=0.7,
        council_chair_is_secretary=0.5,
    ),
    "former_commune": BodySpec(
        executive=(11, 17),
        standing=(5, 7),
        deputies=("deputy_secretary", "deputy_secretary"),
        government=True,
        standing_heads=("inspection_chair",),
        vice=(("people_committee_vice_chair", 1),),
        sectors=("sector:police", "sector:military"),
        sectors_in_executive=2,
        nonlocal_secretary=0.3,
        council_chair_is_secretary=0.4,
    ),
    "committee": BodySpec(
        executive=(7, 15),
        standing=(3, 5),
        deputies=("deputy_secretary",),
        government=False,
        nonlocal_secretary=0.1,
        standing_min_executive=11,
    ),
    "chibo": BodySpec(
        executive=None, standing=None, deputies=("deputy_secretary",), government=False
    ),
}


# --------------------------------------------------------------------------------------
# In-memory plan


@dataclass
class UnitPlan:
    idx: int
    code: str
    name: str
    level: str
    kind: str  # key of SPECS / Scale.cadres ("cell" uses the "chibo" spec)
    parent: int | None
    place: str  # commune (or province) name, for hometowns and documents
    profile: str = "lowland"
    active: bool = True
    founded: date | None = None
    dissolved: date | None = None
    predecessors: list[int] = field(default_factory=list)
    origin: int | None = None  # the former commune a grassroots unit belonged to
    commune: int | None = None  # the current commune above a grassroots unit or cell
    years: tuple[int, ...] = TERM_YEARS
    starts: dict[int, date] = field(default_factory=dict)
    cadres: list[int] = field(default_factory=list)
    ethnic_target: float | None = None
    obj: object = None

    @property
    def spec(self) -> BodySpec:
        return SPECS["chibo" if self.kind == "cell" else self.kind]

    def end_of(self, year: int) -> date | None:
        later = [y for y in self.years if y > year]
        if later:
            return self.starts[later[0]] - timedelta(days=1)
        return self.dissolved - timedelta(days=1) if self.dissolved else None


@dataclass
class CadrePlan:
    idx: int
    unit: int
    person: nm.Person
    birth: date
    hometown: str
    prov_code: str
    is_local: bool
    entry: date
    theory: str
    education: str
    state_management: str
    language: str
    it: str
    religion: str
    science: bool
    origin: int | None = None
    extended: bool = False
    quality: float = 0.0
    pk: int | None = None


@dataclass
class BodyState:
    posts: dict[str, list[int]] = field(default_factory=dict)
    executive: list[int] = field(default_factory=list)
    standing: list[int] = field(default_factory=list)

    def add(self, post: str, cadre: int) -> None:
        self.posts.setdefault(post, []).append(cadre)

    def first(self, post: str) -> int | None:
        held = self.posts.get(post)
        return held[0] if held else None


@dataclass(frozen=True)
class DemoCadre:
    """What later steps usually need about a cadre without a query."""

    pk: int
    full_name: str
    sex: str
    birth_date: date
    unit_id: int
    ethnicity: str
    is_local: bool


@dataclass
class SeedResult:
    """What `seed_registry` created, for the steps that follow (congresses, vetting…)."""

    scale: str
    province: object  # PartyUnit
    communes: list = field(default_factory=list)
    grassroots: list = field(default_factory=list)
    cells: list = field(default_factory=list)
    former: list = field(default_factory=list)  # dissolved districts and communes
    units_by_level: dict[str, list[int]] = field(default_factory=dict)
    committee_unit_ids: list[int] = field(default_factory=list)
    cadre_ids: list[int] = field(default_factory=list)
    cadres_by_unit: dict[int, list[int]] = field(default_factory=dict)
    cadres: dict[int, DemoCadre] = field(default_factory=dict)
    # (unit_id, term code, post code) -> cadre ids, in order (the secretary first…)
    holders: dict[tuple[int, str, str], list[int]] = field(default_factory=dict)
    # (unit_id, term code, "executive" | "standing") -> cadre ids
    bodies: dict[tuple[int, str, str], list[int]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def holder(self, unit, post: str, term: str = "2025-2030") -> int | None:
        ids = self.holders.get((_pk(unit), term, post))
        return ids[0] if ids else None

    def body(self, unit, body: str = "executive", term: str = "2025-2030") -> list[int]:
        return self.bodies.get((_pk(unit), term, body), [])

    @property
    def all_units(self) -> list:
        return [self.province, *self.communes, *self.grassroots, *self.cells, *self.former]


def _pk(unit) -> int:
    return unit if isinstance(unit, int) else unit.pk


# --------------------------------------------------------------------------------------
# Helpers


def add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, month=3, day=1)


def age_at(birth: date, when: date) -> int:
    return when.year - birth.year - ((when.month, when.day) < (birth.month, birth.day))


def _batched(items: Iterable, size: int = BATCH) -> Iterator[list]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _bulk(model, objects: Iterable) -> int:
    n = 0
    for chunk in _batched(objects):
        model.objects.bulk_create(chunk, batch_size=BATCH)
        n += len(chunk)
    return n


def _copy(model, fields: tuple[str, ...], rows: Iterable[tuple], copy: bool | None = None) -> int:
    """Insert `rows` (values of `fields`, plain Python: int, str, date or None) into `model`'s
    table, through PostgreSQL's COPY where the database is PostgreSQL, else `bulk_create`.

    For the tables of several hundred thousand rows a province's demo writes (ratings, work
    history): COPY skips building a model instance and an INSERT parameter per value, which
    was most of the seed's time. The rows must give every column a value or rely on the
    database's default; nothing comes back (no primary keys)."""
    from django.db import connection

    if copy is None:
        copy = connection.vendor == "postgresql"
    if not copy:
        return _bulk(model, (model(**dict(zip(fields, row, strict=True))) for row in rows))
    columns = [model._meta.get_field(f).column for f in fields]
    statement = "COPY {} ({}) FROM STDIN".format(
        connection.ops.quote_name(model._meta.db_table),
        ", ".join(connection.ops.quote_name(c) for c in columns),
    )
    n = 0
    with connection.cursor() as cursor:
        for chunk in _batched(rows, 50_000):
            text = "".join("\t".join(map(_copy_value, row)) + "\n" for row in chunk)
            cursor.copy_expert(statement, io.StringIO(text))
            n += len(chunk)
    return n


def _copy_value(value) -> str:
    """One value in COPY's text format (NULL as \\N; backslash, tab and newlines escaped)."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if any(ch in text for ch in "\\\t\n\r"):
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


class Planner:
    def __init__(
        self,
        scale: Scale,
        rng: random.Random,
        province: Province | None = None,
        cccds: set[str] | None = None,
    ):
        self.scale = scale
        self.rng = rng
        self.province = province or Province()
        self.units: list[UnitPlan] = []
        self.cadres: list[CadrePlan] = []
        self.states: dict[tuple[int, int], BodyState] = {}
        # The CCCD numbers already taken (by the provinces seeded before this one).
        self.cccds: set[str] = set() if cccds is None else cccds
        # (cadre, relation, relative cadre or None, outside name, outside posts, their sex)
        self.relations: list[tuple[int, str, int | None, str, list[str], str]] = []
        self.forced_long: set[int] = set()

    # ---------------------------------------------------------------- tree
    def add_unit(self, **kw) -> UnitPlan:
        unit = UnitPlan(idx=len(self.units), **kw)
        self.units.append(unit)
        return unit

    def plan_tree(self) -> None:
        rng, sc, province = self.rng, self.scale, self.province
        taken: set[str] = {province.name}
        prov = self.add_unit(
            code=province.code,
            name=f"Đảng bộ tỉnh {province.name}",
            level="province",
            kind="province",
            parent=None,
            place=province.name,
            founded=date(1997, 1, 1),
            ethnic_target=12.0,
        )
        commune_names = nm.place_names(rng, sc.communes, taken)
        former_groups: list[tuple[UnitPlan, list[UnitPlan]]] = []
        for i, cname in enumerate(commune_names):
            merged = i == 0 or rng.random() < sc.merged_share
            profile = rng.choices(["lowland", "midland", "highland"], [70, 20, 10])[0]
            kind_word = "phường" if rng.random() < 0.2 else "xã"
            commune = self.add_unit(
                code=province.unit_code(f"X{i + 1:03d}"),
                name=f"Đảng bộ {kind_word} {cname}",
                level="commune",
                kind="commune",
                parent=prov.idx,
                place=cname,
                profile=profile,
                founded=MERGER if merged else date(rng.randint(1946, 1990), rng.randint(1, 12), 1),
                years=(2020, 2025) if merged else TERM_YEARS,
                ethnic_target=None
                if profile == "lowland"
                else float(round(nm.PROFILE_GROUPS[profile][1] * 100)),
            )
            if merged:
                count = rng.randint(*sc.predecessors)
                former_groups.append((commune, []))
                former_groups[-1][1].extend([None] * count)  # filled below
        # Former districts (dissolved 1/7/2025) and the former communes under them.
        per_district = sc.communes_per_district
        n_districts = max(1, -(-len(former_groups) // per_district))
        districts = []
        dnames = nm.place_names(rng, n_districts, taken)
        for d, dname in enumerate(dnames):
            districts.append(
                self.add_unit(
                    code=province.unit_code(f"H{d + 1:02d}"),
                    name=f"Đảng bộ huyện {dname}",
                    level="district",
                    kind="district",
                    parent=prov.idx,
                    place=dname,
                    active=False,
                    founded=date(1976, 1, 1),
                    dissolved=MERGER,
                    years=(2010, 2015, 2020),
                )
            )
        counters = [0] * n_districts
        for g, (commune, slots) in enumerate(former_groups):
            d = g // per_district
            district = districts[d]
            fnames = nm.place_names(rng, len(slots), taken)
            for s, fname in enumerate(fnames):
                counters[d] += 1
                former = self.add_unit(
                    code=f"{district.code}.X{counters[d]:02d}",
                    name=f"Đảng bộ xã {fname}",
                    level="commune",
                    kind="former_commune",
                    parent=district.idx,
                    place=fname,
                    profile=commune.profile,
                    active=False,
                    founded=date(rng.randint(1946, 1990), rng.randint(1, 12), 1),
                    dissolved=MERGER,
                    years=(2010, 2015, 2020),
                )
                slots[s] = former.idx
            commune.predecessors = list(slots)
        # Grassroots units and cells under the current communes.
        cells_budget = sc.cell_units
        for commune in [u for u in self.units if u.kind == "commune"]:
            n = rng.randint(*sc.grassroots_per_commune)
            n_committees = max(1, round(n * sc.committee_share))
            gnames = self._grassroots_names(rng, commune, n, n_committees)
            for j, name in enumerate(gnames):
                committee = j < n_committees
                gr = self.add_unit(
                    code=f"{commune.code}.CS{j + 1:02d}",
                    name=name,
                    level="grassroots",
                    kind="committee" if committee else "chibo",
                    parent=commune.idx,
                    place=commune.place,
                    profile=commune.profile,
                    founded=date(rng.randint(1960, 2008), rng.randint(1, 12), 1),
                    origin=commune.predecessors[j % len(commune.predecessors)]
                    if commune.predecessors
                    else None,
                    commune=commune.idx,
                )
                if committee and (cells_budget is None or cells_budget > 0):
                    if cells_budget is not None:
                        cells_budget -= 1
                    k_cells = rng.randint(*sc.cells_per_committee)
                    for k, cell_name in enumerate(rng.sample(CELL_NAMES, k_cells)):
                        self.add_unit(
                            code=f"{gr.code}.CB{k + 1}",
                            name=f"Chi bộ {cell_name}",
                            level="cell",
                            kind="cell",
                            parent=gr.idx,
                            place=commune.place,
                            profile=commune.profile,
                            founded=date(rng.randint(1980, 2008), rng.randint(1, 12), 1),
                            origin=gr.origin,
                            commune=commune.idx,
                        )
        # The grassroots secretary of commune 1's first grassroots unit held the post
        # continuously since 2015: a term-limit case the demo users can see.
        first = next(u for u in self.units if u.kind == "committee")
        self.forced_long.add(first.idx)
        for unit in self.units:
            self._plan_dates(unit)

    @staticmethod
    def _grassroots_names(rng, commune: UnitPlan, n: int, n_committees: int) -> list[str]:
        place = commune.place
        # The commune's own kind: a unit of a ward is never named after a "xã".
        kind = "phường" if "phường" in commune.name else "xã"
        villages = nm.place_names(rng, n, set())
        committees = [
            f"Đảng bộ Công an {kind} {place}",
            f"Đảng bộ các cơ quan {kind} {place}",
            f"Đảng bộ Trường Trung học cơ sở {villages[0]}",
            f"Đảng bộ Trung tâm Y tế khu vực {villages[1 % n]}",
            f"Đảng bộ Công ty cổ phần {villages[2 % n]}",
            f"Đảng bộ Trường Trung học phổ thông {villages[3 % n]}",
        ]
        rng.shuffle(committees)
        institutions = [
            f"Chi bộ Quân sự {kind} {place}",
            f"Chi bộ Trường Tiểu học {place}",
            f"Chi bộ Trạm Y tế {kind} {place}",
            f"Chi bộ Trường Mầm non {place}",
        ]
        rng.shuffle(institutions)
        word = "khu phố" if "phường" in commune.name else "thôn"
        out = []
        for j in range(n):
            if j < n_committees:
                suffix = "" if j < len(committees) else f" {j}"
                out.append(committees[j % len(committees)] + suffix)
            elif j - n_committees < 2:
                out.append(institutions[j - n_committees])
            else:
                out.append(f"Chi bộ {word} {villages[j]}")
        return out

    def _plan_dates(self, unit: UnitPlan) -> None:
        rng = self.rng
        for year in unit.years:
            if unit.kind in ("committee", "chibo", "cell"):
                start = date(year, 3, 15) + timedelta(days=rng.randrange(60))
            elif unit.kind == "commune" and unit.predecessors:
                # An interim committee appointed at the merger, then the congress.
                start = MERGER if year == 2020 else date(2025, 7, 20) + timedelta(rng.randrange(40))
            elif unit.kind in ("commune", "former_commune"):
                if year == 2025:
                    start = date(2025, 7, 20) + timedelta(days=rng.randrange(40))
                else:
                    start = date(year, 5, 10) + timedelta(days=rng.randrange(45))
            elif unit.kind == "district":
                start = date(year, 6, 15) + timedelta(days=rng.randrange(40))
            else:
                start = date(year, 10, 1) + timedelta(days=rng.randrange(25))
            unit.starts[year] = start

    # ---------------------------------------------------------------- cadres
    def plan_cadres(self) -> None:
        rng, sc = self.rng, self.scale
        counts = []
        for unit in self.units:
            if not unit.active:
                counts.append(0)
                continue
            counts.append(rng.randint(*sc.cadres[unit.kind]))
        total = sum(counts)
        communes = [u.idx for u in self.units if u.kind == "commune"]
        i = 0
        while total < sc.min_cadres:  # top up, round robin over the communes
            counts[communes[i % len(communes)]] += 1
            total += 1
            i += 1
        for unit, count in zip(self.units, counts, strict=True):
            for _ in range(count):
                self._new_cadre(unit)

    def _new_cadre(self, unit: UnitPlan) -> None:
        rng = self.rng
        female = rng.random() < 0.30
        sex = "female" if female else "male"
        ethnicity = nm.pick_ethnicity(rng, unit.profile)
        person = nm.person(rng, sex, ethnicity)
        age = int(round(rng.gauss(45, 8)))
        age = max(25, min(60 if female else 62, age))
        birth = add_years(REF, -(age + 1)) + timedelta(days=1 + rng.randrange(365))
        local_share = {"province": 0.55, "commune": 0.75}.get(unit.kind, 0.92)
        is_local = rng.random() < local_share
        if is_local:
            place = unit.place if unit.kind != "province" else self._random_place()
            home, prov_code = f"xã {place}, tỉnh {self.province.name}", self.province.cccd
        else:
            home, prov_code = nm.hometown(rng)
        entry_age = 18 + int(abs(rng.gauss(0, 5))) + rng.randrange(4)
        entry = add_years(birth, entry_age) + timedelta(days=rng.randrange(365))
        latest = date(2024, 6, 30)
        if entry > latest:
            earliest = add_years(birth, 18) + timedelta(days=1)
            entry = earliest + timedelta(days=rng.randrange(max(1, (latest - earliest).days)))
        theory = rng.choices(
            ["", "so_cap", "trung_cap", "cao_cap", "cu_nhan"], THEORY_W[unit.kind]
        )[0]
        edu = rng.choices(EDUCATION, EDUCATION_W)[0]
        state = rng.choices(
            ["", "Chuyên viên", "Chuyên viên chính", "Chuyên viên cao cấp"], [50, 35, 12, 3]
        )[0]
        religion = ""
        if ethnicity == "Khmer" and rng.random() < 0.6:
            religion = "Phật giáo Nam tông"
        elif rng.random() < 0.05:
            religion = rng.choice(["Phật giáo", "Phật giáo", "Công giáo"])
        unit.cadres.append(len(self.cadres))
        self.cadres.append(
            CadrePlan(
                idx=len(self.cadres),
                unit=unit.idx,
                person=person,
                birth=birth,
                hometown=home,
                prov_code=prov_code,
                is_local=is_local,
                entry=entry,
                theory=theory,
                education=edu,
                state_management=state,
                language=rng.choices(LANGUAGES, [25, 35, 20, 10, 5, 5])[0],
                it=rng.choices(
                    ["", "Tin học cơ bản", "Ứng dụng CNTT cơ bản", "Ứng dụng CNTT nâng cao"],
                    [15, 35, 40, 10],
                )[0],
                religion=religion,
                science=rng.random() < 0.04,
                origin=unit.origin,
                quality=rng.random(),
            )
        )

    def _random_place(self) -> str:
        communes = [u for u in self.units if u.kind in ("commune", "former_commune")]
        return self.rng.choice(communes).place

    def cccd(self, c: CadrePlan) -> str:
        century = 0 if c.birth.year < 2000 else 2
        digit = century + (1 if c.person.sex == "female" else 0)
        while True:
            value = f"{c.prov_code}{digit}{c.birth.year % 100:02d}{self.rng.randrange(10**6):06d}"
            if value not in self.cccds:
                self.cccds.add(value)
                return value

    # ---------------------------------------------------------------- posts and bodies
    def plan_posts(self) -> None:
        by_kind = {}
        for unit in self.units:
            by_kind.setdefault(unit.kind, []).append(unit)
        # Commune-level cadres of merged communes: which former commune they came from.
        for commune in by_kind.get("commune", []):
            if commune.predecessors:
                for ci in commune.cadres:
                    self.cadres[ci].origin = self.rng.choice(commune.predecessors)
        # Bottom up: body pools of the upper levels draw on the heads below.
        for unit in (
            by_kind.get("cell", []) + by_kind.get("chibo", []) + by_kind.get("committee", [])
        ):
            self._staff_unit(unit, self._pool_grassroots(unit))
        formers = by_kind.get("former_commune", [])
        pools = self._pools_former(formers)
        for unit in formers:
            self._staff_unit(unit, pools[unit.idx])
        for unit in by_kind.get("commune", []):
            self._staff_unit(unit, self._pool_commune(unit))
        for unit in by_kind.get("district", []):
            self._staff_unit(unit, self._pool_district(unit))
        for unit in by_kind.get("province", []):
            self._staff_unit(unit, self._pool_province(unit))

    def _pool_grassroots(self, unit: UnitPlan):
        members = list(unit.cadres)
        for child in self.units[unit.idx + 1 :]:
            if child.parent == unit.idx:
                members.extend(child.cadres)
            elif child.kind != "cell":
                break
        return lambda year: (members, [])

    def _pools_former(self, formers: list[UnitPlan]):
        pools = {u.idx: [] for u in formers}
        for c in self.cadres:
            if c.origin is not None and c.origin in pools:
                pools[c.origin].append(c.idx)
        return {k: (lambda year, v=v: (v, [])) for k, v in pools.items()}

    def _grassroots_secretaries(self, commune: int, year: int) -> list[int]:
        out = []
        for u in self.units:
            if u.commune == commune and u.kind != "cell":
                st = self.states.get((u.idx, year))
                if st and st.first("secretary") is not None:
                    out.append(st.first("secretary"))
        return out

    def _pool_commune(self, unit: UnitPlan):
        def pool(year):
            return unit.cadres, self._grassroots_secretaries(unit.idx, year)

        return pool

    def _pool_district(self, unit: UnitPlan):
        formers = [u for u in self.units if u.parent == unit.idx]
        successors = [
            u
            for u in self.units
            if u.kind == "commune" and set(u.predecessors) & {f.idx for f in formers}
        ]
        members = [ci for s in successors for ci in s.cadres]
        members += self.units[unit.parent].cadres[::3]

        def pool(year):
            extra = [self.states[(f.idx, year)].first("secretary") for f in formers]
            return members, [x for x in extra if x is not None]

        return pool

    def _pool_province(self, unit: UnitPlan):
        def pool(year):
            if year == 2025:
                heads = [u for u in self.units if u.kind == "commune"]
            else:
                heads = [u for u in self.units if u.kind == "district"]
                heads += [u for u in self.units if u.kind == "commune" and not u.predecessors]
            extra = []
            for u in heads:
                st = self.states.get((u.idx, year))
                if st and st.first("secretary") is not None:
                    extra.append(st.first("secretary"))
            return unit.cadres, extra

        return pool

    def _age(self, ci: int, when: date) -> int:
        return age_at(self.cadres[ci].birth, when)

    def _staff_unit(self, unit: UnitPlan, pool_fn) -> None:
        prev: BodyState | None = None
        for year in unit.years:
            if unit.kind == "commune" and unit.predecessors and year == 2020:
                state = self._interim(unit)
            else:
                members, extra = pool_fn(year)
                state = self._staff_term(unit, year, members, extra, prev)
            self.states[(unit.idx, year)] = state
            prev = state

    def _interim(self, unit: UnitPlan) -> BodyState:
        """The interim 2020-2025 committee of a merged commune, appointed on 1/7/2025 from the
        committees of the former communes."""
        rng = self.rng
        olds = [self.states[(p, 2020)] for p in unit.predecessors]
        state = BodyState()
        secretaries = [s.first("secretary") for s in olds]
        state.add("secretary", secretaries[0])
        deputies = secretaries[1:] + [d for s in olds for d in s.posts.get("deputy_secretary", [])]
        for post, ci in zip(unit.spec.deputies, deputies, strict=False):
            state.add(post, ci)
        chair = olds[0].first("people_committee_chair")
        state.add("people_committee_chair", chair if chair is not None else secretaries[-1])
        state.add("people_council_chair", secretaries[0])
        limit_exec = 33 if len(olds) >= 3 else 27
        limit_standing = 11 if len(olds) >= 3 else 9
        heads = [state.first("secretary"), *state.posts.get("deputy_secretary", [])]
        standing = _unique(heads + [ci for s in olds for ci in s.standing])[:limit_standing]
        executive = _unique(standing + [ci for s in olds for ci in s.executive])
        rng.shuffle(executive)
        executive = _unique(standing + executive)[:limit_exec]
        state.standing, state.executive = standing, executive
        for ci in standing:
            if not any(ci in v for v in state.posts.values()):
                state.add("standing_member", ci)
        police = [s.first("sector:police") for s in olds if s.first("sector:police") is not None]
        if police:
            state.add("sector:police", police[0])
        for ci in executive:
            if not any(ci in v for v in state.posts.values()):
                state.add("member", ci)
        return state

    def _staff_term(
        self,
        unit: UnitPlan,
        year: int,
        members: list[int],
        extra: list[int],
        prev: BodyState | None,
    ) -> BodyState:
        rng, spec = self.rng, unit.spec
        start = unit.starts[year]
        eligible = [ci for ci in members if 27 <= self._age(ci, start) <= 59]
        if len(eligible) < 3:
            eligible = list(members)
        senior = [ci for ci in eligible if 36 <= self._age(ci, start) <= 57] or eligible
        state = BodyState()
        used: set[int] = set()

        def take(candidates: list[int], prefer_nonlocal: float = 0.0) -> int | None:
            free = [ci for ci in candidates if ci not in used]
            if not free:
                return None
            if prefer_nonlocal and rng.random() < prefer_nonlocal:
                nonlocal_ = [ci for ci in free if not self.cadres[ci].is_local]
                free = nonlocal_ or free
            ci = rng.choice(free)
            used.add(ci)
            return ci

        # Secretary: re-elected, promoted from deputy, or new.
        sec = None
        prev_sec = prev.first("secretary") if prev else None
        if prev_sec is not None and prev_sec in members:
            long_case = unit.idx in self.forced_long and year >= 2020
            if long_case or (self._age(prev_sec, start) <= 57 and rng.random() < 0.3):
                sec = prev_sec
                used.add(sec)
        if sec is None and prev:
            deps = [d for p in spec.deputies for d in prev.posts.get(p, []) if d in eligible]
            if deps and rng.random() < 0.5:
                sec = take(deps)
        if sec is None:
            sec = take(senior, spec.nonlocal_secretary)
        if sec is None:
            return state
        state.add("secretary", sec)
        deputies = []
        for post in spec.deputies:
            keep = [d for d in (prev.posts.get(post, []) if prev else []) if d in eligible]
            d = take(keep) if keep and rng.random() < 0.4 else None
            d = d if d is not None else take(senior)
            if d is not None:
                state.add(post, d)
                deputies.append(d)
        if spec.government and deputies:
            state.add("people_committee_chair", deputies[-1])
            council = sec if rng.random() < spec.council_chair_is_secretary else deputies[0]
            state.add("people_council_chair", council)
        if spec.executive is None or year not in BODY_YEARS:
            return state

        n_exec = rng.randint(*spec.executive)
        n_standing = rng.randint(*spec.standing) if spec.standing else 0
        if spec.standing_min_executive and n_exec < spec.standing_min_executive:
            n_standing = 0
        standing = [sec, *deputies]
        prev_standing = [ci for ci in (prev.standing if prev else []) if ci in eligible]
        while len(standing) < n_standing:
            ci = take(prev_standing) if prev_standing and rng.random() < 0.6 else None
            ci = ci if ci is not None else take(eligible)
            if ci is None:
                break
            standing.append(ci)
            state.add("standing_member", ci)
        for post, ci in zip(spec.standing_heads, standing[1 + len(deputies) :], strict=False):
            state.add(post, ci)
        executive = list(standing)
        for post, count in spec.vice:
            for _ in range(count):
                ci = take(eligible)
                if ci is not None:
                    state.add(post, ci)
                    executive.append(ci)
        for k, post in enumerate(spec.sectors):
            ci = take(eligible)
            if ci is None:
                continue
            state.add(post, ci)
            if k < spec.sectors_in_executive:
                executive.append(ci)
        prev_exec = [ci for ci in (prev.executive if prev else []) if ci in eligible]
        extra_free = [ci for ci in extra if ci not in used]
        while len(executive) < n_exec:
            r = rng.random()
            ci = None
            if prev_exec and r < 0.55:
                ci = take(prev_exec)
            elif extra_free and r < 0.75:
                ci = take(extra_free)
            ci = ci if ci is not None else take(eligible)
            if ci is None:
                break
            executive.append(ci)
            state.add("member", ci)
        state.standing = standing if n_standing else []
        state.executive = executive
        return state

    # ---------------------------------------------------------------- polish and relations
    def polish_leaders(self) -> None:
        """Leaders get the theory levels, education and flags their posts call for — mostly."""
        rng = self.rng
        for (uidx, year), state in self.states.items():
            if year < 2020:
                continue
            kind = self.units[uidx].kind
            for post in (
                "secretary",
                "standing_deputy_secretary",
                "deputy_secretary",
                "people_committee_chair",
            ):
                for ci in state.posts.get(post, []):
                    c = self.cadres[ci]
                    if kind in ("province", "district"):
                        c.theory = rng.choices(["cao_cap", "cu_nhan", "trung_cap"], [85, 10, 5])[0]
                        c.state_management = rng.choice(
                            ["Chuyên viên cao cấp", "Chuyên viên chính"]
                        )
                        if not c.education.startswith(("Thạc sĩ", "Tiến sĩ")):
                            c.education = rng.choice(
                                ["Thạc sĩ Quản lý kinh tế", "Thạc sĩ Luật", "Tiến sĩ Kinh tế"]
                            )
                        if c.person.sex == "female" and rng.random() < 0.5:
                            c.extended = True
                    elif kind in ("commune", "former_commune"):
                        c.theory = rng.choices(["trung_cap", "cao_cap", "so_cap"], [60, 35, 5])[0]
                        if c.state_management == "":
                            c.state_management = "Chuyên viên"
                    else:
                        c.theory = rng.choices(["so_cap", "trung_cap", ""], [50, 45, 5])[0]

    def plan_relations(self) -> None:
        rng = self.rng
        cad = self.cadres

        def rel(a: int, kind: str, b: int, back: str) -> None:
            self.relations.append((a, kind, b, "", [], cad[b].person.sex))
            self.relations.append((b, back, a, "", [], cad[a].person.sex))

        def make_siblings(a: int, b: int) -> None:
            cad[b].person = nm.sibling_of(rng, cad[a].person, cad[b].person.sex)
            cad[b].origin = cad[a].origin
            rel(a, "sibling", b, "sibling")

        # Spouses and siblings among the cadres of one unit.
        for unit in self.units:
            if len(unit.cadres) < 6 or rng.random() > 0.3:
                continue
            men = [ci for ci in unit.cadres if cad[ci].person.sex == "male"]
            women = [ci for ci in unit.cadres if cad[ci].person.sex == "female"]
            if men and women and rng.random() < 0.5:
                rel(rng.choice(men), "spouse", rng.choice(women), "spouse")
            else:
                a, b = rng.sample(unit.cadres, 2)
                make_siblings(a, b)
        # Conflicts of Quy định 114: a secretary whose sibling is the commune police chief…
        communes = [u for u in self.units if u.kind == "commune"]
        for i, commune in enumerate(communes):
            st = self.states.get((commune.idx, 2025))
            if not st:
                continue
            sec, police = st.first("secretary"), st.first("sector:police")
            if police is not None and sec != police and (i == 0 or rng.random() < 0.15):
                make_siblings(sec, police)
            chair, vice = (
                st.first("people_committee_chair"),
                st.first("people_committee_vice_chair"),
            )
            if chair is not None and vice is not None and (i == 1 or rng.random() < 0.08):
                make_siblings(chair, vice)
        # …and two members of the provincial standing committee who are siblings.
        prov = self.states.get((0, 2025))
        if prov and len(prov.standing) > 6:
            make_siblings(prov.standing[4], prov.standing[6])
        # Outside relatives, a few with posts (a spouse who is the police chief…).
        leaders = set()
        for (_uidx, year), st in self.states.items():
            if year == 2025:
                leaders.update(
                    st.posts.get("secretary", []) + st.posts.get("people_committee_chair", [])
                )
        for c in cad:
            p = 0.6 if c.idx in leaders else 0.2
            if rng.random() > p:
                continue
            has_spouse = False
            for _ in range(rng.randint(1, 3)):
                kind = rng.choices(RELATIONS, RELATION_W)[0]
                if kind == "spouse":
                    if has_spouse:
                        continue
                    has_spouse = True
                    sex = "female" if c.person.sex == "male" else "male"
                    who = nm.person(rng, sex, c.person.ethnicity)
                elif kind in ("sibling", "child"):
                    sex = rng.choice(["male", "female"])
                    who = nm.sibling_of(rng, c.person, sex)
                else:
                    who = nm.person(rng, rng.choice(["male", "female"]), c.person.ethnicity)
                posts: list[str] = []
                chance = 0.15 if c.idx in leaders else 0.03
                if rng.random() < chance:
                    posts = [rng.choice(OUTSIDE_POSTS)]
                self.relations.append((c.idx, kind, None, who.full_name, posts, who.sex))


def _unique(items: list[int]) -> list[int]:
    seen: set[int] = set()
    out = []
    for x in items:
        if x is not None and x not in seen:
            seen.add(x)
            out.append(x)
    return out


CELL_NAMES = nm._nfc(
    "Khối_văn_phòng Tổ_1 Tổ_2 Tổ_3 Giáo_viên Phân_xưởng_sản_xuất Khối_nghiệp_vụ Khu_dân_cư_số_1"
)
THEORY_W = {
    "province": [5, 25, 40, 27, 3],
    "commune": [8, 40, 40, 11, 1],
    "committee": [15, 50, 30, 5, 0],
    "chibo": [25, 55, 18, 2, 0],
    "cell": [30, 55, 14, 1, 0],
}
EDUCATION = nm._nfc(
    "Cử_nhân_Luật Cử_nhân_Kinh_tế Kỹ_sư_Nông_nghiệp Cử_nhân_Hành_chính Thạc_sĩ_Quản_lý_kinh_tế "
    "Cử_nhân_Sư_phạm Trung_cấp_Kế_toán Cao_đẳng_Sư_phạm Bác_sĩ_Đa_khoa Kỹ_sư_Xây_dựng "
    "Thạc_sĩ_Luật Tiến_sĩ_Kinh_tế Tốt_nghiệp_THPT Cử_nhân_Công_an Cử_nhân_Quân_sự"
)
EDUCATION_W = [12, 14, 9, 10, 6, 9, 7, 6, 3, 4, 3, 1, 8, 4, 4]
LANGUAGES = nm._nfc("_ Tiếng_Anh_B1 Tiếng_Anh_bậc_2 Tiếng_Anh_bậc_3 Tiếng_Trung_B Tiếng_Pháp_B")
LANGUAGES[0] = ""
RELATIONS = [
    "spouse",
    "parent",
    "parent_in_law",
    "child",
    "child_in_law",
    "sibling",
    "sibling_in_law",
]
RELATION_W = [30, 15, 8, 20, 5, 17, 5]
OUTSIDE_POSTS = [
    "sector:police",
    "sector:tax",
    "sector:finance",
    "sector:natural_resources",
    "sector:court",
    "sector:procuracy",
    "sector:inspectorate",
    "sector:military",
    "people_committee_vice_chair",
    "deputy_secretary",
]
ACHIEVEMENTS = nm._nfc(
    "Giấy_khen_của_Ban_Thường_vụ_Đảng_ủy_xã Bằng_khen_của_Chủ_tịch_UBND_tỉnh "
    "Chiến_sĩ_thi_đua_cơ_sở Huy_hiệu_30_năm_tuổi_Đảng Bằng_khen_của_Ban_Thường_vụ_Tỉnh_ủy "
    "Đảng_viên_hoàn_thành_xuất_sắc_nhiệm_vụ_5_năm_liền Giấy_khen_của_Chủ_tịch_UBND_xã"
)
DISCIPLINE_REASONS = nm._nfc(
    "Vi_phạm_quy_định_về_quản_lý_đất_đai "
    "Thiếu_trách_nhiệm_trong_lãnh_đạo,_chỉ_đạo,_để_xảy_ra_sai_phạm "
    "Vi_phạm_Quy_định_những_điều_đảng_viên_không_được_làm "
    "Vi_phạm_nguyên_tắc_tập_trung_dân_chủ Vi_phạm_quy_định_về_quản_lý_tài_chính"
)
TRAININGS = [
    (
        "Cao cấp lý luận chính trị",
        "Học viện Chính trị quốc gia Hồ Chí Minh",
        "Bằng Cao cấp lý luận chính trị",
    ),
    (
        "Trung cấp lý luận chính trị",
        "Trường Chính trị tỉnh {province}",
        "Bằng Trung cấp lý luận chính trị",
    ),
    (
        "Bồi dưỡng kiến thức quản lý nhà nước ngạch chuyên viên chính",
        "Học viện Hành chính quốc gia",
        "Chứng chỉ",
    ),
    ("Bồi dưỡng cấp ủy viên cơ sở", "Trường Chính trị tỉnh {province}", "Giấy chứng nhận"),
    ("Bồi dưỡng kiến thức quốc phòng và an ninh đối tượng 3", "Trường Quân sự tỉnh", "Chứng chỉ"),
]


# --------------------------------------------------------------------------------------
# Writing


def seed_registry(scale: str, rng: random.Random, province: Province | None = None) -> SeedResult:
    """Create the demo registry for `scale` ("tiny", "district", "province") from `rng`.

    Call inside a transaction on an empty registry, or one holding other provinces than
    `province` (the command takes care of both).
    """
    from personnel import models as m
    from personnel.catalogue import ensure_catalogue

    ensure_catalogue()
    prov = province or Province()
    taken = set(m.Cadre.objects.exclude(citizen_id=None).values_list("citizen_id", flat=True))
    planner = Planner(SCALES[scale], rng, prov, taken)
    planner.plan_tree()
    planner.plan_cadres()
    planner.plan_posts()
    planner.polish_leaders()
    planner.plan_relations()
    units, cadres = planner.units, planner.cadres
    # The documents' fields draw from a generator of their own, seeded from `rng` without
    # consuming it: the rest of the demo is the same with or without them.
    drng = random.Random(str(rng.getstate()[1][:8]))

    # Units, level by level: each bulk insert returns the primary keys the next one needs.
    objs = []
    for u in units:
        state = planner.states.get((u.idx, max(u.years)))
        sec = state.first("secretary") if state else None
        u.obj = m.PartyUnit(
            code=u.code,
            name=u.name,
            level=u.level,
            is_active=u.active,
            founded_on=u.founded,
            dissolved_on=u.dissolved,
            ethnic_target_percent=u.ethnic_target,
            **dossier.document_settings(
                u, cadres[sec].person.full_name if sec is not None else "", prov.name
            ),
        )
        objs.append(u.obj)
    by_depth: dict[int, list[UnitPlan]] = {}
    depths: list[int] = []
    for u in units:  # parents always come before their children in the plan
        depths.append(0 if u.parent is None else depths[u.parent] + 1)
        by_depth.setdefault(depths[-1], []).append(u)
    for depth in sorted(by_depth):
        layer = by_depth[depth]
        for u in layer:
            if u.parent is not None:
                u.obj.parent_id = units[u.parent].obj.pk
        m.PartyUnit.objects.bulk_create([u.obj for u in layer], batch_size=BATCH)
        for u in layer:
            parent_path = units[u.parent].obj.path if u.parent is not None else "/"
            u.obj.path = f"{parent_path}{u.obj.pk}/"
            u.obj.depth = depth
    m.PartyUnit.objects.bulk_update(objs, ["path", "depth"], batch_size=1000)
    through = m.PartyUnit.predecessors.through
    through.objects.bulk_create(
        [
            through(from_partyunit_id=u.obj.pk, to_partyunit_id=units[p].obj.pk)
            for u in units
            for p in u.predecessors
        ],
        batch_size=BATCH,
    )

    # Workplaces of the province and the communes, in their own tree.
    workplaces: dict[tuple[int, str], object] = {}
    specs = [(u, spec) for u in units for spec in dossier.workplaces_of(u)]
    for parentless in (True, False):
        layer = []
        for u, spec in specs:
            if (spec.parent is None) != parentless:
                continue
            parent = workplaces.get((u.idx, spec.parent)) if spec.parent else None
            obj = m.Workplace(
                name=spec.name,
                short_name=spec.short_name,
                kind=spec.kind,
                head_title=spec.head_title,
                parent=parent,
                party_unit=u.obj,
            )
            workplaces[(u.idx, spec.key)] = obj
            layer.append(obj)
        m.Workplace.objects.bulk_create(layer, batch_size=BATCH)

    # Cadres.
    cadre_objs = []
    dossiers = [dossier.dossier_of(c, units[c.unit], drng, prov.name) for c in cadres]
    for c, extra in zip(cadres, dossiers, strict=True):
        obj = m.Cadre(
            **extra.fields,
            code=prov.cadre_code(c.idx),
            full_name=c.person.full_name,
            birth_date=c.birth,
            sex=c.person.sex,
            ethnicity=c.person.ethnicity,
            religion=c.religion,
            citizen_id=planner.cccd(c),
            hometown=c.hometown,
            is_local=c.is_local,
            party_entry_date=c.entry,
            party_confirmed_date=add_years(c.entry, 1),
            education=c.education,
            political_theory=c.theory,
            state_management=c.state_management,
            foreign_language=c.language,
            it_skill=c.it,
            extended_retirement=c.extended,
            science_tech=c.science,
            unit_id=units[c.unit].obj.pk,
        )
        obj.fill_keys()
        cadre_objs.append(obj)
    for chunk in _batched(cadre_objs):
        m.Cadre.objects.bulk_create(chunk, batch_size=BATCH)
    for c, obj in zip(cadres, cadre_objs, strict=True):
        c.pk = obj.pk

    posts = {p.code: p.pk for p in m.Post.objects.all()}
    terms = {t.code: t.pk for t in m.Term.objects.all()}
    result = SeedResult(scale=scale, province=units[0].obj)
    counts = result.counts

    # Tenures, committee membership.
    def tenures():
        for (uidx, year), state in planner.states.items():
            u = units[uidx]
            start, end = u.starts[year], u.end_of(year)
            for post, holders in state.posts.items():
                if year < 2020 and post in ("member", "standing_member"):
                    continue
                key = dossier.workplace_key(post)
                place = workplaces.get((uidx, key)) if key else None
                for ci in holders:
                    yield m.Tenure(
                        cadre_id=cadres[ci].pk,
                        post_id=posts[post],
                        unit_id=u.obj.pk,
                        workplace_id=place.pk if place is not None else None,
                        start=start,
                        end=end,
                    )
                result.holders[(u.obj.pk, term_code(year), post)] = [
                    cadres[ci].pk for ci in holders
                ]

    counts["tenures"] = _bulk(m.Tenure, tenures())

    def memberships():
        for (uidx, year), state in planner.states.items():
            if year not in BODY_YEARS:
                continue
            u = units[uidx]
            for body, members in (("executive", state.executive), ("standing", state.standing)):
                if not members:
                    continue
                result.bodies[(u.obj.pk, term_code(year), body)] = [cadres[ci].pk for ci in members]
                for ci in _unique(members):
                    yield m.CommitteeMembership(
                        cadre_id=cadres[ci].pk,
                        unit_id=u.obj.pk,
                        term_id=terms[term_code(year)],
                        body=body,
                    )

    counts["memberships"] = _bulk(m.CommitteeMembership, memberships())
    result.committee_unit_ids = sorted({k[0] for k in result.bodies})

    # Ratings: four levels every year, points on the 100-point scale from 2025.
    def ratings():
        for c in cadres:
            base = c.quality
            for year in RATING_YEARS:
                x = base + rng.gauss(0, 0.12)
                level = (
                    "excellent"
                    if x > 0.82
                    else "good"
                    if x > 0.15
                    else "done"
                    if x > -0.12
                    else "not_done"
                )
                points = None
                if year == 2025:
                    lo, hi = POINTS[level]
                    points = rng.randint(lo, hi)
                yield c.pk, year, level, points

    counts["ratings"] = _copy(m.Rating, ("cadre_id", "year", "level", "points"), ratings())

    leaders = {ci for (_u, y), st in planner.states.items() if y >= 2020 for ci in _head_ids(st)}

    def achievements():
        for c in cadres:
            if rng.random() > (0.55 if c.idx in leaders else 0.15):
                continue
            for _ in range(rng.randint(1, 2)):
                year = rng.randint(2018, 2025)
                yield m.Achievement(
                    cadre_id=c.pk,
                    year=year,
                    title=rng.choice(ACHIEVEMENTS),
                    decision=f"{rng.randint(10, 3999)}-QĐ/{rng.choice(['TU', 'ĐU', 'UBND'])}",
                )

    counts["achievements"] = _bulk(m.Achievement, achievements())

    def disciplines():
        commune_1 = next(u.idx for u in units if u.kind == "commune")
        forced = planner.states.get((commune_1, 2025))  # a standing member of commune 1 is
        forced_ci = forced.standing[-1] if forced and forced.standing else None  # disciplined
        for c in cadres:
            if c.idx != forced_ci and rng.random() > 0.012:
                continue
            level = rng.choices(["reprimand", "warning", "dismissal"], [75, 20, 5])[0]
            if c.idx == forced_ci:
                level = "reprimand"
            decided = date(2019, 1, 1) + timedelta(days=rng.randrange(6 * 365))
            yield m.Discipline(
                cadre_id=c.pk,
                decided_on=decided,
                level=level,
                reason=rng.choice(DISCIPLINE_REASONS),
                decision=f"{rng.randint(10, 999)}-QĐ/UBKT",
            )

    counts["disciplines"] = _bulk(m.Discipline, disciplines())

    def relations():
        for a, kind, b, name, posts_, sex in planner.relations:
            details = (
                {"kinship": dossier.KINSHIP.get((kind, sex), "")}
                if b is not None
                else dossier.relative_details(cadres[a], kind, sex, drng, prov.name)
            )
            yield m.FamilyRelation(
                cadre_id=cadres[a].pk,
                relation=kind,
                relative_id=cadres[b].pk if b is not None else None,
                relative_name=name,
                relative_posts=posts_,
                **details,
            )

    counts["relations"] = _bulk(m.FamilyRelation, relations())

    def history():
        for c, extra in zip(cadres, dossiers, strict=True):
            for start, end, text in extra.history:
                yield c.pk, start, end, text

    counts["work_history"] = _copy(
        m.WorkHistory, ("cadre_id", "start", "end", "description"), history()
    )
    counts["workplaces"] = len(workplaces)

    def trainings():
        for c in cadres:
            wants = c.theory in ("cao_cap", "trung_cap") and rng.random() < 0.25
            if not wants and rng.random() > 0.06:
                continue
            if c.theory == "cao_cap":
                kind, inst, qual = TRAININGS[0]
            elif c.theory == "trung_cap":
                kind, inst, qual = TRAININGS[1]
            else:
                kind, inst, qual = rng.choice(TRAININGS[2:])
            start = date(rng.randint(2008, 2023), rng.choice([3, 9]), 1)
            end = start + timedelta(days=rng.choice([30, 180, 365, 540]))
            yield m.Training(
                cadre_id=c.pk,
                kind=kind,
                institution=inst.format(province=prov.name),
                start=start,
                end=end,
                qualification=qual,
            )

    counts["trainings"] = _bulk(m.Training, trainings())

    # The result.
    for u in units:
        result.units_by_level.setdefault(u.level, []).append(u.obj.pk)
        if u.kind == "commune":
            result.communes.append(u.obj)
        elif u.kind in ("committee", "chibo"):
            result.grassroots.append(u.obj)
        elif u.kind == "cell":
            result.cells.append(u.obj)
        elif not u.active:
            result.former.append(u.obj)
    for c in cadres:
        unit_pk = units[c.unit].obj.pk
        result.cadre_ids.append(c.pk)
        result.cadres_by_unit.setdefault(unit_pk, []).append(c.pk)
        result.cadres[c.pk] = DemoCadre(
            pk=c.pk,
            full_name=c.person.full_name,
            sex=c.person.sex,
            birth_date=c.birth,
            unit_id=unit_pk,
            ethnicity=c.person.ethnicity,
            is_local=c.is_local,
        )
    counts["units"] = len(units)
    counts["cadres"] = len(cadres)
    return result


POINTS = {"excellent": (90, 100), "good": (70, 89), "done": (50, 69), "not_done": (30, 49)}


def _head_ids(state: BodyState) -> list[int]:
    out = []
    for post in (
        "secretary",
        "deputy_secretary",
        "standing_deputy_secretary",
        "people_committee_chair",
    ):
        out.extend(state.posts.get(post, []))
    return out


def seed_step(ctx) -> None:
    """The "registry" step of `personnel.demo.REGISTRY_STEPS`."""
    ctx.result = seed_registry(
        ctx.scale, ctx.rng("registry"), province(getattr(ctx, "province", 1))
    )
    for name, value in ctx.result.counts.items():
        ctx.count(name, value)
