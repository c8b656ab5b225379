#!/usr/bin/env python3
"""Builds src/Abono.Web/wwwroot/icons/sprite.svg from a local copy of lucide-static (ISC): a one-off, not a build step.

    npm pack lucide-static@1.62.0 && tar xzf lucide-static-1.62.0.tgz
    python3 scripts/build-icon-sprite.py package/icons

The sprite's symbol ids are the names <icon name="..."/> accepts (Platform/Web/IconTagHelper.cs, Icons.Names): keep both
lists in step when adding an icon.
"""
import pathlib
import re
import sys

ICONS = [
    "alarm-clock", "arrow-left", "banknote", "chart-column", "check", "chevron-left", "chevron-right", "credit-card", "download",
    "file-text", "file-up", "house", "key-round", "link", "log-out", "package", "pencil", "settings", "shopping-cart", "users",
    "webhook",
]

source = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "package/icons")
target = pathlib.Path(__file__).resolve().parent.parent / "src/Abono.Web/wwwroot/icons/sprite.svg"
# On every symbol: a <use> clones the symbol alone, so the sprite's root attributes would not reach it.
PAINT = 'fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"'
symbols = []
for name in ICONS:
    svg = (source / f"{name}.svg").read_text(encoding="utf-8")
    body = re.search(r"<svg[^>]*>(.*)</svg>", svg, re.S).group(1)
    shapes = " ".join(line.strip() for line in body.strip().splitlines())
    symbols.append(f'  <symbol id="{name}" viewBox="0 0 24 24" {PAINT}>{shapes}</symbol>')

target.parent.mkdir(parents=True, exist_ok=True)
target.write_text(
    "<!-- Icons from lucide-static 1.62.0 (https://lucide.dev), ISC License: see LICENSE-lucide.txt beside this file. -->\n"
    '<svg xmlns="http://www.w3.org/2000/svg">\n'
    + "\n".join(symbols) + "\n</svg>\n",
    encoding="utf-8",
)
print(f"{target}: {len(symbols)} icons")
