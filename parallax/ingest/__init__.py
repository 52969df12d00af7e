"""Ingest: files in, typed :class:`~parallax.model.Draft` articles out (or rejections)."""
