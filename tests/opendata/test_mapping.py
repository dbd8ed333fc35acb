"""Every portal state that reaches the feed maps to an OCDS 1.1.5 codelist value."""

import csv

import pytest

from opendata import mapping
from opendata.packages import SCHEMA_DIR


def codes(codelist: str) -> set[str]:
    with (SCHEMA_DIR / "codelists" / f"{codelist}.csv").open(encoding="utf-8") as fh:
        return {row["Code"] for row in csv.DictReader(fh)}


@pytest.mark.parametrize(("choices", "table", "codelist"), mapping.TABLES)
def test_every_state_has_an_ocds_mapping_from_its_codelist(choices, table, codelist):
    missing = sorted(set(choices.values) - set(table))
    assert not missing, f"{choices.__qualname__} states without an OCDS mapping: {missing}"
    allowed = codes(codelist)
    wrong = {k: v for k, v in table.items() if v is not None and v not in allowed}
    assert not wrong, f"values outside the {codelist} codelist: {wrong}"


def test_lot_outcome_overrides_the_round_only_when_final():
    assert mapping.tender_status(round_status="draft", lot_status="open") is None
    assert mapping.tender_status(round_status="published", lot_status="open") == "active"
    assert mapping.tender_status(round_status="in_review", lot_status="failed") == "unsuccessful"
    assert mapping.tender_status(round_status="final", lot_status="final") == "complete"
    assert mapping.tender_status(round_status="cancelled", lot_status="open") == "cancelled"
