"""Stage 2, embed: sentences to vectors.

=================  ====================================================
module             what
=================  ====================================================
``encoder``        :class:`Encoder`: encode each distinct string once
``loading``        :func:`load_encoder`: the default USE encoder, any
                   sentence-transformers model, any ``encode()`` object
``spans``          :class:`SpanEmbeddings`: runs of consecutive sentences
``registry``       :func:`register_encoder`: encoders by name (to workers, caches, signatures)
``blend``          :func:`blend`: a combined encoder, a weighted blend of others
``cache``          the in-memory and SQLite vector caches
=================  ====================================================
"""
