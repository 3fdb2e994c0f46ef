"""Press coverage: which English press sentences report which sentences of an
official Japanese text, what the press left out, what it adds, and where it
states a fact differently.

=================  ====================================================
module             what
=================  ====================================================
``compare``        :func:`compare`
``calibration``    raw cosines to "standard deviations above unrelated"
``clauses``        long sentences split into clauses (both languages)
``lexicon``        the bilingual glossary behind glosses and re-ranking
``facts``          dates, years, anniversaries, durations, people: conflicts
``scoring``        one press sentence: matches, evidence, label; :class:`Thresholds`
``words``          content words of a press sentence (for coverage)
``background``     unrelated sentences for calibration
``report``         :class:`CoverageReport`, :class:`CoverageRow`, :class:`Match`
``views``          the report as text, HTML, records
=================  ====================================================
"""
