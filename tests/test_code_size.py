"""The package's size rule: a module over about 300 lines, or a function over 60, says why."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "workflow" / "ssr_pipeline"
MODULE_LINES = 320  # "about 300"
FUNCTION_LINES = 60


def _modules():
    return sorted(PACKAGE.rglob("*.py"))


def test_long_modules_say_why_in_their_docstring():
    unexplained = []
    for path in _modules():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > MODULE_LINES and "Over 300 lines" not in (
            ast.get_docstring(ast.parse(text)) or ""
        ):
            unexplained.append(path.relative_to(PACKAGE).as_posix())
    assert not unexplained, (
        f"modules over {MODULE_LINES} lines without a reason in the docstring: {unexplained}"
    )


def test_long_functions_have_a_comment_saying_why():
    unexplained = []
    for path in _modules():
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            if node.end_lineno - node.lineno + 1 <= FUNCTION_LINES:
                continue
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            above = []
            for line in reversed(lines[: first - 1]):
                if not line.strip().startswith("#"):
                    break
                above.insert(0, line.strip())
            if not any("Long on purpose" in line for line in above):
                unexplained.append(f"{path.relative_to(PACKAGE).as_posix()}:{node.lineno} {node.name}")
    assert not unexplained, (
        f"functions over {FUNCTION_LINES} lines without a comment saying why: {unexplained}"
    )
