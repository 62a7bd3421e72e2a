"""The pipeline's stages, grouped by what they do to an article or a question.

Core (imports nothing heavy): :mod:`.types`, :mod:`.errors`, :mod:`.ids`, :mod:`.text`, :mod:`.dates`.
Stages: :mod:`.ingest` (parsing, cleaning, sentences, passages), :mod:`.embedding`,
:mod:`.retrieval` (fusion, filters, time frames), :mod:`.answering` (sentence scoring, short
answers, reading), :mod:`.reader` (the trained reading model), :mod:`.chat` (follow-ups).
:mod:`.pipeline` composes them over any store that meets :class:`.pipeline.storage.Store`.
"""
