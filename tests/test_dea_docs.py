"""The DEA speed figures in docs/dea.md and the README come from one run of benchmarks/dea_bench.py.

Timings cannot be re-measured in a unit test, so this checks what can drift:
the table in docs/dea.md has the benchmark's current header and measure names
(so it was produced by the current script), it says which machine and load it
was measured under and that the figures are medians, and the README quotes
exactly those medians.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROW = re.compile(r"^\s*(\d+)\s{2}(.+?)\s+(\d+\.\d{3})\s+(\d+\.\d{3})\s+(\d+\.\d{3})$")
#: The README figures, in the order its DEA sentence quotes them.
QUOTED = [(10000, m) for m in ("ccr scores", "bcc scores", "ccr dea()", "bcc dea()", "ccr cli", "bcc cli")] + [
    (1000, m) for m in ("ccr scores", "bcc scores", "ccr dea()", "bcc dea()", "ccr cli", "bcc cli")
]


def _bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("dea_bench", ROOT / "benchmarks" / "dea_bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _measured_block() -> list[str]:
    text = (ROOT / "docs" / "dea.md").read_text(encoding="utf-8")
    section = text.split("### Measured", 1)[1]
    return section.split("```", 2)[1].strip("\n").splitlines()


def _doc_table() -> dict[tuple[int, str], float]:
    table = {}
    for line in _measured_block():
        hit = ROW.match(line)
        if hit:
            table[(int(hit.group(1)), hit.group(2).strip())] = float(hit.group(3))
    return table


def readme_figure(seconds: float) -> str:
    """How the README writes a median: two decimals below 1 s, one above."""
    return f"{seconds:.2f}" if seconds < 1 else f"{seconds:.1f}"


def test_doc_table_is_output_of_the_current_benchmark() -> None:
    bench = _bench()
    block = _measured_block()
    assert bench.HEADER in block
    assert block[0].startswith("machine: ") and block[1].startswith("load average at start: ")
    assert any(line.startswith("load average at end: ") for line in block)
    assert any(line.startswith("medians of ") for line in block)
    table = _doc_table()
    assert {m for _, m in table} <= set(bench.MEASURES)
    assert set(QUOTED) <= set(table)


def test_readme_quotes_the_doc_medians() -> None:
    """The README's DEA sentence quotes the doc's medians, in the order of QUOTED."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    paragraph = next(p for p in readme.split("\n\n") if "benchmarks/dea_bench.py" in p and "10,000" in p)
    table = _doc_table()
    numbers = iter(re.findall(r"\d+\.\d+", paragraph))
    for key in QUOTED:
        assert readme_figure(table[key]) in numbers, f"README does not quote {key} = {table[key]} (as {readme_figure(table[key])})"
