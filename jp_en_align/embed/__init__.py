"""Stage 2, embed: sentences to vectors.

=================  ====================================================
module             what
=================  ====================================================
``encoder``        :class:`Encoder`: encode each distinct string once
``loading``        :func:`load_encoder`: the default USE encoder, any
                   sentence-transformers model, any ``encode()`` object
``spans``          :class:`SpanEmbeddings`: runs of consecutive sentences
``cache``          the in-memory and SQLite vector caches
=================  ====================================================
"""
