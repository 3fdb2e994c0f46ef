"""Stage 3, align: the monotonic aligner.

=================  ====================================================
module             what
=================  ====================================================
``sounds``         sound keys: does an English spelling sound like a katakana name
``evidence``       numbers, dates and names shared across languages
``band``           the band of the alignment grid, similarity kernels
``scoring``        :class:`ScoringParams`, bead scores of one document
``walk``           the walk over the band: best or summed paths, written once
``search``         the dynamic-programme kernels over the band
``posterior``      forward-backward (sum-product): each bead's posterior
``confidence``     calibrated confidence per bead, the honest null
``inputs``         both sides through the entrance, the encoder's vectors checked
``aligner``        :class:`Aligner` and :func:`align`
=================  ====================================================

Data flows ``evidence -> band -> scoring -> search -> posterior -> confidence
-> aligner``; the aligner
returns an :class:`~jp_en_align.corpus.AlignedCorpus`.
"""
