"""The pipeline composed over a :class:`~.storage.Store`: the write path and the read path.

- :mod:`.storage`: the interface every storage backend meets;
- :mod:`.config`: the settings of every stage and the input limits;
- :mod:`.writing`: cleaning, splitting, embedding and storing articles;
- :mod:`.asking`: retrieving passages and answering a question.

The facade users hold, :class:`newsdesk.desk.Newsdesk`, opens a backend and wires these up.
"""
