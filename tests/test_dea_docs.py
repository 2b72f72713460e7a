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
MEASURES = ("ccr scores", "bcc scores", "ccr dea()", "bcc dea()", "ccr cli", "bcc cli")
#: The README figures in the order its DEA sentence quotes them: (block of the doc, DMUs, measure).
QUOTED = (
    [(0, 10000, m) for m in MEASURES] + [(1, 10000, "ccr dea() HiGHS"), (1, 10000, "bcc dea() HiGHS")] + [(0, 1000, m) for m in MEASURES]
)


def _bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("dea_bench", ROOT / "benchmarks" / "dea_bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _measured_blocks() -> list[list[str]]:
    """The fenced blocks of the *Measured* section of docs/dea.md."""
    text = (ROOT / "docs" / "dea.md").read_text(encoding="utf-8")
    section = text.split("### Measured", 1)[1].split("\n## ", 1)[0]
    return [chunk.strip("\n").splitlines() for chunk in section.split("```")[1::2]]


def _table(block: list[str]) -> dict[tuple[int, str], float]:
    table = {}
    for line in block:
        hit = ROW.match(line)
        if hit:
            table[(int(hit.group(1)), hit.group(2).strip())] = float(hit.group(3))
    return table


def readme_figure(seconds: float) -> str:
    """How the README writes a median: two decimals below 1 s, one above."""
    return f"{seconds:.2f}" if seconds < 1 else f"{seconds:.1f}"


def test_doc_tables_are_output_of_the_current_benchmark() -> None:
    bench = _bench()
    blocks = _measured_blocks()
    assert len(blocks) == 2  # the default run, and the --highs comparison
    for block in blocks:
        assert bench.HEADER in block
        assert block[0].startswith("machine: ") and block[1].startswith("load average at start: ")
        assert any(line.startswith("load average at end: ") for line in block)
        assert any(line.startswith("medians of ") for line in block)
        assert {m for _, m in _table(block)} <= set(bench.MEASURES)
    assert {(n, m) for b, n, m in QUOTED if b == 0} <= set(_table(blocks[0]))
    assert any(m.endswith("HiGHS") for _, m in _table(blocks[1]))


def test_readme_quotes_the_doc_medians() -> None:
    """The README's DEA sentence quotes the doc's medians, in the order of QUOTED."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    paragraph = next(p for p in readme.split("\n\n") if "benchmarks/dea_bench.py" in p and "10,000" in p)
    tables = [_table(block) for block in _measured_blocks()]
    numbers = iter(re.findall(r"\d+\.\d+", paragraph))
    for b, n, m in QUOTED:
        value = tables[b][(n, m)]
        assert readme_figure(value) in numbers, f"README does not quote {m} at {n} DMUs = {value} (as {readme_figure(value)})"
