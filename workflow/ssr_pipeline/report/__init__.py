"""Reports: a declarative model per report (country.py, synthesis.py), HTML (html.py), PDF (pdf.py)."""
