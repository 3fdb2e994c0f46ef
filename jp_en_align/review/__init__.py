"""The review page: correct an aligned corpus in a browser, from the keyboard.

=============  ==========================================================
module         what
=============  ==========================================================
``server``     :func:`serve` and :class:`ReviewServer` (uvicorn in a thread)
``app``        the Starlette app: the page, the JSON API, the Host/token guard
``session``    the corpus under review, its version, conflicts, saving
``journal``    the append-only journal and atomic snapshot writes
``sources``    a corpus file or an ``align_many`` output folder
``adapter``    the one place that calls the corpus' edit methods
``static/``    ``review.html``: the page (HTML, CSS and JS in one file, no CDN)
=============  ==========================================================

Started by ``jp-en-align review CORPUS.jsonl`` (or an ``align-many`` output
folder), or from Python; docs/review.md lists the keys and the security model.

Example:
    >>> from jp_en_align.review import serve
    >>> handle = serve("corpus.jsonl", block=False)   # doctest: +SKIP
    review: http://127.0.0.1:40123/?token=...
    >>> handle.stop()                                  # doctest: +SKIP
"""

from .server import ReviewServer, serve

__all__ = ["ReviewServer", "serve"]
