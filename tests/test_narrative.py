"""Live figures, citations and Markdown safety in researchers' narratives."""

from ssr_pipeline import settings
from ssr_pipeline.errors import ProblemList
from ssr_pipeline.narrative import render

IND = {
    "country": {"slug": "x", "name": "Testland", "iso3": "TST", "reform_start": 2000},
    "series": {
        "homicide_rate": {
            "unit": "per 100,000 people",
            "name": "Homicides",
            "values": {"2010": 60.0, "2011": 70.0, "2012": 40.0, "2013": 38.0},
            "trajectory": {
                "n_years": 4,
                "first": {"year": 2010, "value": 60.0},
                "latest": {"year": 2013, "value": 38.0},
                "peak": {"year": 2011, "value": 70.0},
                "trough": {"year": 2013, "value": 38.0},
                "at_reform_start": {"year": 2010, "value": 60.0},
                "change_since_reform_start": {"abs": -22.0, "pct": -36.666667},
            },
        },
        "population": {
            "unit": "persons",
            "name": "Population",
            "values": {"2012": 6297394.0},
            "trajectory": {"latest": {"year": 2012, "value": 6297394.0}},
        },
    },
    "rq1": {
        "dimensions": [{"id": "D1", "design": 4, "practice": 2, "gap": 2}],
        "design_index": 70.0,
        "practice_index": 37.5,
        "gap_index": 32.5,
        "largest_gap": None,
    },
    "rq2": {
        "n_initiatives": 3,
        "n_used": 1,
        "n_partial": 1,
        "n_not_used": 1,
        "method": settings.defaults()["effect"],
        "initiatives": [
            {
                "id": "gang-truce",
                "name": "Truce",
                "budget_usd": 1500000.0,
                "start": "2012-03",
                "active_years": [2012, 2013],
                "effect": {
                    "baseline": 65.0,
                    "during": 39.0,
                    "change_pct": -40.0,
                    "change_abs": -26.0,
                    "its": None,
                    "synthetic": None,
                },
            }
        ],
    },
    "events": [{"id": "peace-accords", "date": "1992-01-16", "label": "Peace"}],
}
REFS = {"smith-2017": {"id": "smith-2017", "author": ["Smith, Ann"], "year": "2017", "title": "T"}}
LABELS = {"smith-2017": "Smith 2017"}


def go(text):
    problems = ProblemList()
    html, toc, cited = render(text, IND, REFS, LABELS, "narrative/test.md", problems)
    return html, toc, cited, [str(p) for p in problems.items]


def test_live_figures_render_with_each_format():
    html, _, _, problems = go(
        "Rate {{ series.homicide_rate.latest.value | num(1) }} in {{ series.homicide_rate.latest.year }}; "
        "fall {{ initiative.gang_truce.effect.change_pct | abs | pct }}; "
        "pop {{ value('population', 2012) | int }}; gap {{ rq1.gap_index | num(0) }}; "
        "share {{ rq1.design_index | pct0 }}; budget {{ initiative.gang_truce.budget_usd | usd }}; "
        "mean {{ mean('homicide_rate', 2010, 2011) | num(1) }}; year {{ event.peace_accords.year }}"
    )
    assert problems == []
    for expected in (
        "Rate 38.0 in 2013",
        "fall 40.0%",
        "pop 6,297,394",
        "gap 33;",
        "share 70%",
        "budget US$1.5m",
        "mean 65.0",
        "year 1992",
    ):
        assert expected in html, expected


def test_unknown_name_fails_with_line_and_suggestion():
    _, _, _, problems = go("Fine line.\n\nRate {{ series.homicide_rat.latest.value | num(1) }}.")
    assert len(problems) == 1
    assert problems[0].startswith("narrative/test.md, line 3")
    assert "unknown name 'series.homicide_rat.latest.value'" in problems[0]
    assert "did you mean series.homicide_rate.latest.value" in problems[0]


def test_missing_year_is_an_error_not_a_blank():
    _, _, _, problems = go("{{ value('homicide_rate', 1999) | num(1) }}")
    assert "has no value for 1999" in problems[0]


def test_sandbox_refuses_attribute_escapes_and_statements():
    _, _, _, problems = go("{{ ''.__class__.__mro__ }}\n{% for x in range(3) %}x{% endfor %}")
    assert any("line 1" in p for p in problems)
    assert any("line 2" in p and "not {% %}" in p for p in problems)


def test_citations_become_links_and_unknown_keys_fail():
    html, _, cited, problems = go("As shown [@smith-2017, p. 4].")
    assert problems == []
    assert '(<a class="cite" href="#ref-smith-2017">Smith 2017, p. 4</a>)' in html
    assert cited == ["smith-2017"]
    _, _, _, problems = go("Claim [@nobody-2020].")
    assert "citation key 'nobody-2020'" in problems[0]


def test_raw_html_and_dangerous_links_are_not_live():
    html, _, _, _problems = go(
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
        "[click](javascript:alert(1)) ![p](file:///etc/passwd)"
    )
    assert "<script" not in html and "<img" not in html
    assert 'href="javascript' not in html
    assert "&lt;script&gt;" in html


def test_headings_get_ids_for_the_contents():
    html, toc, _, _ = go("## First part\n\ntext\n\n## Second part\n")
    assert [t["title"] for t in toc] == ["First part", "Second part"]
    assert '<h2 id="n-first-part">' in html


# A careless or hostile narrative (issue #17): bounded, timed, and unable to forge anything.


def test_huge_arithmetic_is_refused_at_once_with_the_line():
    import time

    started = time.monotonic()
    _, _, _, problems = go(
        "Fine.\n{{ 7**1000000000 }}\n{{ 10**200 * 10**200 * 10**200 }}\n{{ 'ab' * 100000000 }}\n"
        "{{ [1] * 100000000 }}\n{{ '%999999999d' % 1 }}\n{{ [['x' * 100] * 100] * 100 }}\n"
        "{{ [[1] * 9000] + [[1] * 9000] }}"
    )
    assert time.monotonic() - started < 5
    assert [p.split(":")[0] for p in problems] == [f"narrative/test.md, line {n}" for n in range(2, 9)]
    assert all("refused by the sandbox" in p for p in problems), problems
    assert "would be too large" in problems[0] and "string formatting with %" in problems[4]


def test_an_expression_has_at_most_1000_characters():
    _, _, _, problems = go("{{ " + " + ".join(["1"] * 400) + " }}")
    assert problems == [
        (
            "narrative/test.md, line 1: expression '{{ 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 "
            "+ 1 + 1 + ... (1597 characters) }}' is longer than 1000 characters"
        )
    ]


def test_only_the_narrative_functions_can_be_called():
    _, _, _, problems = go(
        "{{ 'a'.ljust(1000000000) }}\n{{ range(1000000000) | list }}\n"
        "{{ lipsum(1000000) }}\n{{ 'x' | center(1000000000) }}"
    )
    assert (
        "line 1" in problems[0]
        and "only these functions can be called in a narrative: value(), mean(), change(), claim()"
        in problems[0]
    )
    assert "line 2" in problems[1] and "unknown name 'range'" in problems[1]
    assert "line 3" in problems[2] and "unknown name 'lipsum'" in problems[2]
    assert "line 4" in problems[3] and "No filter named 'center'" in problems[3]


def test_a_narrative_that_runs_too_long_is_stopped_with_the_line(monkeypatch):
    import time

    from ssr_pipeline import live

    class Slow:
        @property
        def value(self):
            time.sleep(2)
            return 1

    monkeypatch.setattr(live, "TIME_LIMIT_S", 0.3)
    problems = ProblemList()
    started = time.monotonic()
    live.fill_figures(
        "Intro.\n\n{{ slow.value }} and {{ slow.value }}\n",
        None,
        "synthesis/narrative.md",
        problems,
        ns={"slow": Slow()},
    )
    assert time.monotonic() - started < 1.5
    assert [str(p) for p in problems.items] == [
        (
            "synthesis/narrative.md, line 3: evaluating the narrative's expressions took longer than 0.3 s; "
            "stopped at this line (simplify its expressions)"
        )
    ]


def test_a_narrative_cannot_turn_a_failed_claim_into_a_checked_one():
    import pytest
    from ssr_pipeline.errors import InputError
    from ssr_pipeline.narrative import country_fragment

    attempts = [
        "{{ claim.items[0].update({'ok': true}) }}",
        "{{ claim.problems.items.clear() }}",
        "{{ claim.__closure__ }}",
        "{{ initiative.gang_truce.effect.update({'change_pct': -25.0}) }}",
        "{{ value.__globals__ }}",
    ]
    claim = (
        'A fall of {{ claim("about 25 percent", "initiative.gang_truce.effect.change_pct", 25, tol=1, '
        "absolute=true) }}.\n"
    )
    with pytest.raises(InputError) as exc:
        country_fragment(claim + "\n".join(attempts), "narrative/x.md", {"references": REFS}, IND)
    report = str(exc.value)
    for n in range(2, 2 + len(attempts)):
        assert f"narrative/x.md, line {n}: " in report, (n, report)
    # The claim itself stays failed: it is recorded as such and the claim check stops the build.
    from ssr_pipeline.changes import settle_claims

    f = country_fragment(claim, "narrative/x.md", {"references": REFS}, IND)
    assert [c["ok"] for c in f["claims"]] == [False]
    problems, _ = settle_claims([c for c in f["claims"] if not c["ok"]], "error")
    with pytest.raises(InputError) as exc:
        problems.raise_if_any()
    assert "narrative/x.md, line 1: claim 'about 25 percent'" in str(exc.value)
    assert "current value is 40.00" in str(exc.value)
    assert IND["rq2"]["initiatives"][0]["effect"]["change_pct"] == -40.0


def test_text_that_looks_like_a_placeholder_renders_as_typed():
    html, _, _, problems = go(
        "Typed ZZCLAIM0ZZ and ZZCITE0ZZ and Qdeadbeefdeadbeef" + "K0Q, "
        '&#xE000;C0&#xE001; then {{ claim("real", "rq1.gap_index", 32.5, tol=1) }} '
        '[@smith-2017].\n\n`code {{ claim("in code", "rq1.gap_index", 32.5, tol=1) }}`'
    )
    assert problems == []
    assert "Typed ZZCLAIM0ZZ and ZZCITE0ZZ and QdeadbeefdeadbeefK0Q" in html
    assert html.count('class="claim"') == 1 and html.count('class="cite"') == 1
    assert "<code>code in code</code>" in html


def test_only_web_mail_and_anchor_links_stay_live():
    html, _, _, _ = go(
        "[a](//host/share) [b](\\\\host\\share) [c](smb://host/share) [d](../../../etc/passwd) "
        "[e](file:///etc/passwd) <smb://host/x> [f](other.html) [g](http:///etc/passwd)\n\n"
        "[ok](https://example.org/x) [mail](mailto:team@example.org) [here](#n-first)"
    )
    hrefs = __import__("re").findall(r'href="([^"]*)"', html)
    assert hrefs == ["https://example.org/x", "mailto:team@example.org", "#n-first"]
    for typed in (
        "[a](//host/share)",
        "[c](smb://host/share)",
        "[d](../../../etc/passwd)",
        "[f](other.html)",
    ):
        assert typed in html
