"""Training loops of the trainable bricks: the fields classifier (:mod:`.fields`) and the
handwriting recogniser (:mod:`.htr`).

The handwriting trainer needs the ``htr-train`` extra (torch, onnx2torch); nothing here is
imported by the engines at inference time, and importing this package imports no heavy library.
"""
