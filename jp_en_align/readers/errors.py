"""The one error a reader raises: the file cannot be read as a document."""

from __future__ import annotations


class DocumentError(ValueError):
    """A file that cannot be read as text, with what is wrong and what to do.

    The message is one line meant for the user, e.g. ``statement.pdf has no
    text layer (a scan): run OCR first, e.g. ocrmypdf -l jpn in.pdf out.pdf``.
    """
