"""HTML building blocks and the page shell: escaping, keyed numbers, sortable tables, sections, the document.

Everything that reaches the page from a file passes through :func:`esc`. The page carries its own
styles and a few lines of script (click-to-sort); printed on A4 with folded detail tables left folded and a
Content-Security-Policy that forbids loading anything from anywhere, so it opens the same with no
network and cannot leak a request even if a future change tried.
"""

from __future__ import annotations

import html as _html
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..io.outputs import HTML_MARK
from . import fmt

# No network, no frames, no plugins; inline styles and scripts only; images only from data: URLs.
CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def esc(value: Any) -> str:
    """Escape text (and quotes) for HTML content or attribute values."""
    return _html.escape("" if value is None else str(value), quote=True)


def keyed(key: str, value: Any, shown: str, *, tag: str = "span", cls: str | None = None) -> str:
    """A number (or code) shown as ``shown`` and marked with its key and exact file value.

    Example: ``<span data-key="stage2_progress" data-value="0.728">0.7280</span>``. Tests and readers
    find key numbers by ``data-key`` and compare ``data-value`` with the run's CSV files.
    """
    klass = f' class="{esc(cls)}"' if cls else ""
    return f'<{tag}{klass} data-key="{esc(key)}" data-value="{esc(fmt.raw(value))}">{esc(shown)}</{tag}>'


@dataclass(frozen=True)
class Cell:
    """One table cell: its inner HTML, the value to sort by, and whether it is numeric (right-aligned)."""

    html: str
    sort: str = ""
    numeric: bool = False
    cls: str = ""


def text_cell(value: Any, *, cls: str = "") -> Cell:
    """A cell of escaped text, sorted by that text."""
    shown = fmt.text(value)
    return Cell(esc(shown), sort=shown if shown != fmt.DASH else "", cls=cls)


def name_cell(name: Any, ident: Any) -> Cell:
    """A display name whose id (as in the CSV files) shows on hover, sorted by the name."""
    shown = fmt.text(name)
    return Cell(f'<span title="{esc(ident)}">{esc(shown)}</span>', sort=shown, cls="name")


def num_cell(key: str | None, value: Any, formatter: Callable[[Any], str] = fmt.number, *, cls: str = "") -> Cell:
    """A right-aligned number cell, keyed when ``key`` is given, sorted by its exact value."""
    shown = formatter(value)
    inner = keyed(key, value, shown) if key else esc(shown)
    return Cell(inner, sort=fmt.raw(value), numeric=True, cls=cls)


def html_cell(inner: str, sort: str = "", *, numeric: bool = False, cls: str = "") -> Cell:
    """A cell of ready-made (already escaped) HTML."""
    return Cell(inner, sort=sort, numeric=numeric, cls=cls)


@dataclass(frozen=True)
class Column:
    """A table column heading; numeric columns are right-aligned."""

    title: str
    numeric: bool = False


def table(
    columns: Sequence[Column],
    rows: Iterable[Sequence[Cell]],
    *,
    caption: str | None = None,
    sortable: bool = True,
    foot: Sequence[Cell] | None = None,
    table_id: str | None = None,
) -> str:
    """A table; with ``sortable`` each heading is a button that sorts the rows by that column."""
    head = "".join(_heading(c, sortable) for c in columns)
    body = "".join("<tr>" + "".join(_td(c) for c in row) + "</tr>" for row in rows)
    tfoot = "<tfoot><tr>" + "".join(_td(c) for c in foot) + "</tr></tfoot>" if foot else ""
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    klass = "data sortable" if sortable else "data"
    ident = f' id="{esc(table_id)}"' if table_id else ""
    return (
        f'<div class="table-wrap"><table class="{klass}"{ident}>{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody>{tfoot}</table></div>"
    )


def _heading(column: Column, sortable: bool) -> str:
    klass = ' class="num"' if column.numeric else ""
    label = esc(column.title)
    if sortable:
        label = f'<button type="button">{label}</button>'
    return f'<th scope="col"{klass}>{label}</th>'


def _td(cell: Cell) -> str:
    classes = " ".join(c for c in ("num" if cell.numeric else "", cell.cls) if c)
    klass = f' class="{esc(classes)}"' if classes else ""
    return f'<td{klass} data-sort="{esc(cell.sort)}">{cell.html}</td>'


@dataclass(frozen=True)
class Section:
    """A top-level part of the report: anchor id, heading and body HTML."""

    ident: str
    title: str
    body: str


def render_section(section: Section) -> str:
    """A section with an anchored heading."""
    ident = esc(section.ident)
    return f'<section id="{ident}" aria-labelledby="{ident}-h"><h2 id="{ident}-h">{esc(section.title)}</h2>{section.body}</section>'


def subsection(title: str, body: str) -> str:
    """A titled block inside a section."""
    return f'<div class="sub"><h3>{esc(title)}</h3>{body}</div>'


def intro(text: str) -> str:
    """An explanatory paragraph under a heading."""
    return f'<p class="intro">{esc(text)}</p>'


def figure(svg: str, caption: str | None = None, *, cls: str = "") -> str:
    """An SVG chart in a figure, optionally captioned."""
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    klass = f' class="{esc(cls)}"' if cls else ""
    return f"<figure{klass}>{svg}{cap}</figure>"


def folded(summary: str, body: str) -> str:
    """A collapsible block (left folded when printed: its rows are in the run folder's CSV files)."""
    return f"<details><summary>{esc(summary)}</summary>{body}</details>"


def cards(items: Sequence[tuple[str, str]]) -> str:
    """Headline numbers as a row of cards: (label, ready-made value HTML)."""
    inner = "".join(
        f'<div class="card"><div class="label">{esc(label)}</div><div class="value">{value}</div></div>' for label, value in items
    )
    return f'<div class="cards">{inner}</div>'


def definition_list(items: Sequence[tuple[str, str]]) -> str:
    """Label/value pairs: (label, ready-made value HTML)."""
    inner = "".join(f"<dt>{esc(label)}</dt><dd>{value}</dd>" for label, value in items)
    return f'<dl class="facts">{inner}</dl>'


def document(*, lang: str, title: str, subtitle: str, sections: Sequence[Section], contents_label: str, footer: str) -> str:
    """The whole page: head (charset, CSP, inline styles), navigation, sections and the sort script."""
    nav = "".join(f'<li><a href="#{esc(s.ident)}">{esc(s.title)}</a></li>' for s in sections)
    body = "".join(render_section(s) for s in sections)
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html_lang}"><head><meta charset="utf-8">{HTML_MARK}'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'
        f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>"
        f'<header><h1>{esc(title)}</h1><p class="subtitle">{esc(subtitle)}</p>'
        f'<nav aria-label="{esc(contents_label)}"><ol>{nav}</ol></nav></header>'
        f"<main>{body}</main><footer>{footer}</footer>"
        f"<script>{SCRIPT}</script></body></html>\n"
    )


STYLE = """
:root{--ink:#1f2933;--muted:#5f6b7a;--line:#d9dee4;--bg:#fff;--soft:#f4f6f8;--accent:#1f5f9f;
--good:#1d7a46;--bad:#b3261e;--warn:#a15c00}
*{box-sizing:border-box}
body{margin:0;color:var(--ink);background:var(--bg);line-height:1.5;font-size:15px;
font-family:system-ui,-apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei",
"Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",Arial,sans-serif}
header,main,footer{max-width:1180px;margin:0 auto;padding:0 24px}
header{padding-top:24px;border-bottom:2px solid var(--accent)}
h1{font-size:1.6em;margin:0 0 4px}
h2{font-size:1.3em;margin:32px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:1.08em;margin:20px 0 6px}
.subtitle{color:var(--muted);margin:0 0 8px}
nav ol{display:flex;flex-wrap:wrap;gap:4px 18px;padding:0;margin:8px 0 12px;list-style:none}
nav a{color:var(--accent);text-decoration:none}
nav a:hover{text-decoration:underline}
.intro{color:var(--muted);margin:4px 0 12px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}
.card{border:1px solid var(--line);border-radius:6px;padding:10px 14px;min-width:170px;background:var(--soft)}
.card .label{color:var(--muted);font-size:.85em}
.card .value{font-size:1.35em;font-weight:600}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:8px 0}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0;overflow-wrap:anywhere}
.table-wrap{overflow-x:auto;margin:8px 0 16px}
table.data{border-collapse:collapse;font-size:.92em;min-width:40%}
table.data caption{text-align:left;color:var(--muted);padding:4px 0}
table.data th,table.data td{border-bottom:1px solid var(--line);padding:4px 10px;text-align:left;vertical-align:top}
table.data th{background:var(--soft);font-weight:600;white-space:nowrap}
table.data th button{font:inherit;color:inherit;background:none;border:0;padding:0;cursor:pointer;text-align:inherit}
table.data th button::after{content:" \\2195";color:var(--muted);font-size:.8em}
table.data th[aria-sort=ascending] button::after{content:" \\2191"}
table.data th[aria-sort=descending] button::after{content:" \\2193"}
table.data td.name{min-width:7em;max-width:22em}
table.data .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.data tfoot td{font-weight:600;border-top:2px solid var(--line)}
table.data td.wide{min-width:24em;white-space:normal}
.met{color:var(--good);font-weight:600}
.missed{color:var(--bad);font-weight:600}
.changed{background:#fff4e0}
.pos{color:var(--good)}
.neg{color:var(--bad)}
.grade{display:inline-block;min-width:1.6em;text-align:center;border-radius:4px;padding:0 4px;font-weight:600;
background:var(--soft);border:1px solid var(--line)}
.grade-A{background:#e3f3e8;border-color:#9fd3b0}
.grade-B{background:#e6eef8;border-color:#a9c3e3}
.grade-C{background:#fff4e0;border-color:#f0c987}
.grade-D{background:#fbe7e5;border-color:#eba9a3}
figure{margin:8px 0 16px}
figcaption{color:var(--muted);font-size:.88em}
svg.chart{width:100%;height:auto;max-width:860px;display:block}
svg.chart text{font-family:inherit;fill:var(--ink)}
.multiples{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:12px}
.multiples figure{margin:0;border:1px solid var(--line);border-radius:6px;padding:6px}
.multiples svg.chart{max-width:none}
.card-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(460px,1fr));gap:10px;margin:10px 0}
.unit-card{border:1px solid var(--line);border-radius:6px;padding:8px 14px}
.unit-card h4{margin:4px 0}
.legend{display:flex;gap:14px;flex-wrap:wrap;font-size:.88em;color:var(--muted);margin:4px 0}
.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px;border-radius:2px}
details{margin:8px 0 16px}
summary{cursor:pointer;color:var(--accent)}
code{font-size:.9em;overflow-wrap:anywhere}
footer{color:var(--muted);font-size:.85em;margin-top:32px;padding-bottom:32px;border-top:1px solid var(--line)}
figure.flat{border:1px solid var(--line);border-radius:6px;padding:6px 10px;margin:0}
figure.flat h4{margin:2px 0;font-size:.95em}
figure.flat p{margin:4px 0;color:var(--muted)}
ul.reasons{margin:4px 0 12px;padding-left:1.4em}
@page{size:A4;margin:14mm 12mm}
@media print{
body{font-size:9.5pt;line-height:1.35}
nav,table.data th button::after,.print-hide{display:none}
header,main,footer{max-width:none;padding:0}
section{break-inside:auto}
h2{margin-top:14pt}
figure,.card,.unit-card,tr,figure.flat{break-inside:avoid}
h2,h3{break-after:avoid}
.table-wrap{overflow:visible}
table.data{font-size:8.5pt}
table.data th,table.data td{padding:2px 6px}
.multiples{grid-template-columns:repeat(3,1fr);gap:6px}
.card-grid{grid-template-columns:repeat(2,1fr)}
svg.chart{max-width:100%}
details:not([open])>:not(summary){display:none}
details:not([open])>summary::after{content:"（明细见运行文件夹中的 CSV 文件）";color:var(--muted)}
html[lang=en] details:not([open])>summary::after{content:" (details in the run folder's CSV files)"}
a{color:inherit;text-decoration:none}
}
"""

SCRIPT = """
(function(){
  "use strict";
  function sortKey(cell){
    var v=cell.getAttribute("data-sort");
    if(v===null){v=cell.textContent.trim();}
    if(v===""){return null;}
    var n=Number(v);
    return isNaN(n)?v:n;
  }
  function compare(a,b){
    if(a===null||b===null){return a===b?0:(a===null?1:-1);}
    if(typeof a==="number"&&typeof b==="number"){return a-b;}
    if(typeof a==="number"){return -1;}
    if(typeof b==="number"){return 1;}
    return String(a).localeCompare(String(b));
  }
  function sortBy(table,th,index){
    var ascending=th.getAttribute("aria-sort")!=="ascending";
    var heads=table.tHead.rows[0].cells;
    for(var h=0;h<heads.length;h++){heads[h].removeAttribute("aria-sort");}
    th.setAttribute("aria-sort",ascending?"ascending":"descending");
    var body=table.tBodies[0];
    var rows=Array.prototype.slice.call(body.rows);
    rows.sort(function(r1,r2){
      var a=sortKey(r1.cells[index]),b=sortKey(r2.cells[index]);
      if(a===null||b===null){return compare(a,b);}
      return ascending?compare(a,b):compare(b,a);
    });
    rows.forEach(function(r){body.appendChild(r);});
  }
  var tables=document.querySelectorAll("table.sortable");
  Array.prototype.forEach.call(tables,function(table){
    if(!table.tHead||!table.tBodies.length){return;}
    Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,index){
      var button=th.querySelector("button");
      if(button){button.addEventListener("click",function(){sortBy(table,th,index);});}
    });
  });
})();
"""
