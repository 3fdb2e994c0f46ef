"""The one error a reader raises: the file cannot be read as a document."""

from __future__ import annotations


class DocumentError(ValueError):
    """A file that cannot be read as text, with what is wrong and what to do.

    The message is one line meant for the user, e.g. ``statement.pdf has no
    text layer (a scan): run OCR first, e.g. ocrmypdf -l jpn in.pdf out.pdf``.
    """


def needs(module: str, package: str, what: str):
    """``import module`` for reading ``what``, or an ImportError naming the
    package to install (e.g. ``reading .docx files needs python-docx``)."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise ImportError(f"reading {what} needs {package}, which is missing or broken ({e}): "
                          f"pip install {package}") from None
