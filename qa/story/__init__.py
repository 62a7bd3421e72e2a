"""Following a story: the latest figure and what it replaced, sources that disagree, composed answers, timelines.

Stages that run after reading (:mod:`newsdesk.qa.answering.reading`): ``values`` reads and
normalises the values an answer can give, ``reports`` gathers each article's value for a
question, ``changes`` and ``disagreements`` group them, and ``figures`` puts them on the answer.
"""
