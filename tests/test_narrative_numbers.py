"""Every number in the shipped narratives is a live figure, a checked claim or cited."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NARRATIVES = sorted((ROOT / "inputs").glob("*/narrative/*.md")) + [ROOT / "inputs/synthesis/narrative.md"]

# Numbers that are not quantities: years and year ranges, units and scales, codebook codes.
NOT_A_QUANTITY = re.compile(
    r"\b(1[89]\d\d|20\d\d)(-\d\d\b)?s?\b"  # years, decades, ranges such as 2011-12
    r"|per 100,000|por cada 100\.000|por 100 mil|por cada 100 000"  # the unit of rates (en, es, pt)
    r"|\b0-(100|4|1)\b|\b0 to (100|4)\b"  # the scales of the indices and scores
    r"|\bD\d{1,2}\b|\b2G-\d{1,2}\b"  # dimension and entry-point codes
    r"|\bc\d+\b|\bRQ[12]\b"
    r"|out of 100\b"
    r"|\b95(%| percent) (confidence )?interval"  # the level of the intervals, a method constant
    r"|(intervalo de confian[zç]a d[eo]l? )95\s?%"
    r"|\b[0-4] (means|rhetorical|partial|substantial|systematic)"  # the rubric's score labels
    r"|\bMS-13\b|\bBarrio 18\b"  # gang names
    r"|\b(No\.|Law|Act|Resolution|Decree|Lei n\.º|Decreto(-Lei)?( n\.º)?|Ley|resolución)\s*\d+(/\d+)?"
)  # laws, documents


def sentences(text: str):
    text = re.sub(r"\{\{.*?\}\}", " LIVE ", text)
    for para in text.split("\n"):
        if para.startswith("#"):
            continue
        yield from re.split(r"(?<=[.!?])\s+(?=[A-ZÁÉÍÓÚÑ¿¡])", para)


@pytest.mark.parametrize("path", NARRATIVES, ids=[str(p.relative_to(ROOT)) for p in NARRATIVES])
def test_numbers_are_live_claimed_or_cited(path):
    offenders = []
    for sentence in sentences(path.read_text(encoding="utf-8")):
        if "[@" in sentence:
            continue  # a cited quotation of a source's figure
        bare = NOT_A_QUANTITY.sub(" ", re.sub(r"\[@[^\]]*\]", " ", sentence))
        if re.search(r"\d", bare):
            offenders.append(sentence.strip()[:160])
    assert offenders == [], offenders
