"""Sphinx configuration: the guides (Markdown, through MyST) and an API
reference generated from the docstrings (reStructuredText, autodoc).

Built by ``make docs`` as ``sphinx-build -c docs . site``: the source folder
is the repository, so that README.md, docs/*.md and benchmarks/README.md link
to each other with the same relative links on GitHub and on the site. Only the
files in ``include_patterns`` are read. Nothing here uses the network.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_pages import write_api_pages  # noqa: E402

project = "jp_en_align"
author = "jp_en_align contributors"
root_doc = "docs/index"
include_patterns = ["README.md", "docs/**.md", "docs/**.rst", "benchmarks/README.md"]
exclude_patterns = ["site", ".venv", "**/.ipynb_checkpoints"]
extensions = ["myst_parser", "sphinx.ext.autodoc", "sphinx.ext.napoleon"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}

# Strict: `make docs` runs with -W -n, so a broken link between the guides, a
# link to a missing file or an unresolved cross-reference fails the build.
nitpicky = True
myst_heading_anchors = 3
suppress_warnings = ["myst.header"]

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": False}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
# "name (what it is): ..." in Args/Attributes is prose, not a type to link
napoleon_use_param = False
napoleon_use_ivar = False

html_theme = "alabaster"
html_title = "jp_en_align"

write_api_pages(ROOT / "docs" / "api")

# Types from other libraries: no intersphinx (the build is offline), so their
# names are left as text. Every name of this package must resolve.
nitpick_ignore_regex = [
    ("py:.*", r"(numpy|np|pandas|pd|os|pathlib|collections|typing|datetime|threading|concurrent"
              r"|multiprocessing|sqlite3|io|logging|argparse|matplotlib|dask|distributed|starlette"
              r"|uvicorn|faiss|tqdm|enum|types|re|subprocess|warnings|contextlib|asyncio|xml)\..*"),
    ("py:class", r"(Path|PathLike|IO|TextIO|BinaryIO|Callable|Iterable|Iterator|Sequence|Mapping"
                 r"|Any|Literal|Self|ndarray|DataFrame|Figure|Axes|Client|Request|Response"
                 r"|Starlette|Generator|Hashable|TypeVar|NDArray|T|np\.float32|np\.int64)"),
    ("py:obj", r"(Any|None|True|False|Ellipsis|NotImplemented)"),
    ("py:data", r"(Ellipsis|typing\..*)"),
    ("py:exc", r"(ValueError|TypeError|OSError|KeyError|IndexError|RuntimeError|FileNotFoundError"
               r"|UnicodeDecodeError|Warning|UserWarning|Exception|LookupError)"),
]


def _lookup(dotted: str):
    """The object a dotted name of this package imports to, or None."""
    import importlib
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except Exception:
            continue
        try:
            for name in parts[cut:]:
                obj = getattr(obj, name)
        except Exception:   # AttributeError, or a lazy name that fails to import
            return None
        return obj
    return None


def _resolve_short_names(app, env, node, contnode):
    """Resolve a name as Python would where it is written (``Sentence`` in a
    module that imports it, ``jp_en_align.align``, a re-export) to the page
    that documents that object; a private or undocumented object of this
    package links to its module. A name that imports to nothing is left to
    fail the strict build."""
    import builtins
    import inspect
    from sphinx.util.nodes import make_refnode
    if node.get("refdomain") != "py":
        return None
    target = node["reftarget"].lstrip("~.")
    if all(hasattr(builtins, part.strip()) for part in target.split("/")):
        return contnode   # "FileNotFoundError / NotADirectoryError"
    here, cls = node.get("py:module") or "", node.get("py:class") or ""
    tries = [f"{here}.{cls}.{target}", f"{here}.{target}", target] if cls else [f"{here}.{target}", target]
    owner = _lookup(f"{here}.{cls}") if cls else None
    if owner is not None and getattr(owner, "__module__", None):   # where the class is written
        tries += [f"{owner.__module__}.{cls}.{target}", f"{owner.__module__}.{target}"]
    obj = None
    for dotted in tries:
        if dotted.startswith("jp_en_align") and (obj := _lookup(dotted)) is not None:
            break
    domain = env.get_domain("py")
    last = target.rsplit(".", 1)[-1]
    if obj is None:   # a name of the module's neighbours: the nearest one of that name
        kinds = set(domain.objtypes_for_role(node["reftype"]) or ())
        named = [(n, e) for n, e in domain.objects.items()
                 if not e.aliased and n.startswith("jp_en_align") and n.endswith("." + (last if target.startswith("jp_en_align.") else target))
                 and (not kinds or e.objtype in kinds)]
        if target.startswith("jp_en_align."):
            scopes = [target.rsplit(".", 1)[0]]
        else:
            parts = (f"{here}.{cls}" if cls else here).split(".")
            scopes = [".".join(parts[:i]) for i in range(len(parts), 0, -1)]
        for scope in scopes:
            near = [(n, e) for n, e in named if n.startswith(scope + ".")]
            if len(near) == 1:
                name, entry = near[0]
                return make_refnode(app.builder, node["refdoc"], entry.docname, entry.node_id,
                                    contnode, name)
            if near:
                return None
        return None
    for name, entry in domain.objects.items():
        if (not entry.aliased and (name == target or name.endswith("." + last))
                and _lookup(name) is obj):
            return make_refnode(app.builder, node["refdoc"], entry.docname, entry.node_id, contnode, name)
    if inspect.ismodule(obj):
        module = obj
    elif inspect.isclass(obj) or inspect.isroutine(obj):
        module = inspect.getmodule(obj)
    else:   # a constant: the module it is written in
        module = _lookup(dotted.rsplit(".", 1)[0])
    entry = domain.modules.get(getattr(module, "__name__", ""))
    if entry is None:
        return None
    return make_refnode(app.builder, node["refdoc"], entry.docname, entry.node_id, contnode,
                        module.__name__)


def _prose_attributes() -> None:
    # An attribute's docstring is prose ("Time the search takes per sentence
    # (both sides; measured): ..."); napoleon would read what precedes a colon
    # as a type to link.
    from sphinx.ext.napoleon.docstring import GoogleDocstring
    GoogleDocstring._consume_inline_attribute = lambda self: ("", self._consume_to_end())


_prose_attributes()


def setup(app):
    app.connect("missing-reference", _resolve_short_names)
