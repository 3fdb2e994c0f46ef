"""The API reference's pages, one per package, written from the package tree
at build time (docs/conf.py calls it): each page shows the package's docstring
(its table of modules), the names it exports, then each public module."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "jp_en_align"


def _exports(init: Path) -> list[str]:
    """The names in a module's literal ``__all__`` (none when it has none)."""
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in node.targets):
            try:
                return [n for n in ast.literal_eval(node.value) if n != "__version__"]
            except ValueError:
                return []
    return []


def _modules(folder: Path) -> list[str]:
    names = [p.stem for p in sorted(folder.glob("*.py")) if not p.stem.startswith("_")]
    names += [p.name for p in sorted(folder.iterdir())
              if (p / "__init__.py").exists() and not p.name.startswith("_")]
    return names


def _page(dotted: str, folder: Path) -> str:
    title = f"``{dotted}``"
    exported = _exports(folder / "__init__.py")
    lines = [title, "=" * len(title), "", f".. automodule:: {dotted}"]
    lines += ["   :members:" if exported else "   :no-members:", ""]
    for name in _modules(folder):
        sub = f"{dotted}.{name}"
        lines += [sub, "-" * len(sub), "", f".. automodule:: {sub}", "   :members:",
                  "   :ignore-module-all:"]   # what it defines, not what it re-exports
        if name in exported:   # cli.main the function and cli/main.py the module
            lines.append("   :no-index:")
        if exported:
            lines.append(f"   :exclude-members: {', '.join(exported)}")
        lines.append("")
        if (folder / name / "__init__.py").exists():   # a sub-package: its own modules too
            for inner in _modules(folder / name):
                lines += [f".. automodule:: {sub}.{inner}", "   :members:", "   :ignore-module-all:", ""]
    return "\n".join(lines)


def write_api_pages(out: Path) -> None:
    """Write ``out/index.rst`` and one page per package, only where changed."""
    out.mkdir(parents=True, exist_ok=True)
    pages = {}
    for folder in sorted(p for p in PACKAGE.iterdir() if (p / "__init__.py").exists()):
        pages[folder.name] = _page(f"jp_en_align.{folder.name}", folder)
    for module in ("evaluation", "progress"):
        dotted = f"jp_en_align.{module}"
        title = f"``{dotted}``"
        pages[module] = "\n".join([title, "=" * len(title), "", f".. automodule:: {dotted}",
                                   "   :members:", ""])
    index = ["API reference", "=============", "",
             ".. automodule:: jp_en_align", "   :no-members:", "",
             "The names above load on first use from the packages below.", "",
             ".. toctree::", "   :maxdepth: 1", ""]
    index += [f"   {name}" for name in pages]
    pages["index"] = "\n".join(index) + "\n"
    for name, text in pages.items():
        path = out / f"{name}.rst"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
