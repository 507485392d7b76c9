"""Spreadsheet imports of party units and cadres, from the files boards already keep.

The layers, in the order a file meets them:

- `limits`: the gate before parsing (not an xlsx, too many rows or columns, declared or real);
- `sheet`: reading with python-calamine, finding the table under title rows and Party
  header blocks, two-row headers, the "(1) (2) …" row, the "Tổng cộng" row and what follows;
- `columns`: the columns understood, as data (one line per field, with the words boards
  use), and the mapping of one file (proposed, from a preset, or chosen by the user);
- `values`: reading cells as typed (dates, names, CCCD, level words), never guessing;
- `cadres`, `units`: matching, checking and writing, all or nothing, audited;
- `writing`: COPY on PostgreSQL; `report`: what the user is told; `errorfile`: the file
  back with an error column.
"""

from personnel.imports.cadres import import_cadres
from personnel.imports.columns import CADRE_COLUMNS, CADRES, SPECS, UNIT_COLUMNS, UNITS
from personnel.imports.report import FileRefused, ImportReport
from personnel.imports.units import import_units

IMPORTERS = {"cadres": import_cadres, "units": import_units}

__all__ = [
    "CADRES",
    "CADRE_COLUMNS",
    "IMPORTERS",
    "SPECS",
    "UNITS",
    "UNIT_COLUMNS",
    "FileRefused",
    "ImportReport",
    "import_cadres",
    "import_units",
]
