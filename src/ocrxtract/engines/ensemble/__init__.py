"""The ``ensemble`` engine: several engines read a page and vote on its words.

* :mod:`.calibration`: each engine's confidence turned into the chance a word is right;
* :mod:`.vote`: the words of several readings lined up and voted on (ROVER-style);
* :mod:`.engine`: :class:`~.engine.EnsembleEngine`, the engine that runs the members.
"""
