"""Stage 1, text: raw Japanese or English text to :class:`Sentence` objects.

=================  ====================================================
module             what
=================  ====================================================
``normalize``      the one normaliser, input checks, language letters
``sentence``       :class:`Sentence`, the unit every later stage passes on
``layout``         which line breaks of a PDF-style layout are wraps
``segment``        :func:`segment_ja`, :func:`segment_en`
``tokens``         sudachi morphemes of Japanese text
``languages``      which language a side is in: the one check, one set of thresholds
=================  ====================================================

Nothing here imports another stage.
"""
