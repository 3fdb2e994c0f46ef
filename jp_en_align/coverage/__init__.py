"""Press coverage: which English press sentences report which sentences of an
official Japanese text, what the press left out, and what it adds.

=================  ====================================================
module             what
=================  ====================================================
``compare``        :func:`compare`: the matching and labelling
``clauses``        long Japanese sentences split into clauses
``words``          content words and their cross-language matching
``background``     unrelated sentences for calibration
``report``         :class:`CoverageReport`, :class:`CoverageRow`
=================  ====================================================
"""
