"""Rewrite the README's input-format reference from the schema: ``python tests/regen_reference.py``."""

from pathlib import Path

from allocator.reference import render_into

path = Path(__file__).resolve().parent.parent / "README.md"
path.write_text(render_into(path.read_text(encoding="utf-8")), encoding="utf-8")
print("README.md input reference regenerated")
