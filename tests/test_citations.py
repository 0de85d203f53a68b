from ssr_pipeline.citations import author_label, bib_entry, labels


def ref(rid, authors, year, title="A title", **kw):
    return {"id": rid, "type": "report", "author": authors, "year": year, "title": title, **kw}


def test_author_labels():
    assert author_label(["Rivard Piché, Gaëlle"]) == "Rivard Piché"
    assert author_label(["Call, Charles", "Stanley, William"]) == "Call and Stanley"
    assert author_label(["A, X", "B, Y", "C, Z"]) == "A et al."
    assert author_label(["Coppedge, Michael", "others"]) == "Coppedge et al."
    assert author_label(["International Crisis Group"]) == "International Crisis Group"


def test_same_author_and_year_get_letters_by_title():
    refs = {
        "a": ref("a", ["Smith, J"], 2017, "Zebra"),
        "b": ref("b", ["Smith, J"], 2017, "Apple"),
        "c": ref("c", ["Jones, K"], 2017),
    }
    lab = labels(refs, refs)
    assert lab == {"b": "Smith 2017a", "a": "Smith 2017b", "c": "Jones 2017"}
    assert bib_entry(refs["a"], lab["a"])["year"] == "2017b"


def test_bibliography_entry_parts():
    e = bib_entry(
        ref(
            "x",
            ["Doe, Jane", "Roe, Rick"],
            2018,
            volume=12,
            issue=1,
            pages="48-63",
            publisher="Routledge",
            url="https://example.org",
        ),
        "Doe and Roe 2018",
    )
    assert e["authors"] == "Doe, Jane and Roe, Rick"
    assert e["tail"] == "12(1): 48-63. Routledge"
    assert e["url"] == "https://example.org"


def test_number_formats_round_half_up():
    from ssr_pipeline.fmt import integer, num, pct, signed, usd

    assert num(32.5, 0) == "33"
    assert num(0.125, 2) == "0.13"
    assert num(1234567.891, 1) == "1,234,567.9"
    assert integer(6656.5) == "6,657"
    assert pct(-39.360794) == "-39.4%"
    assert signed(-39.36) == "−39.4"
    assert usd(642e6) == "US$642.0m" and usd(2.1e9) == "US$2.10bn" and usd(None) == "n/a"
