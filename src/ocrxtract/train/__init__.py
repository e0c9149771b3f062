"""Training loops of the trainable bricks (the handwriting recogniser: :mod:`.htr`).

Training needs the ``htr-train`` extra (torch, onnx2torch); nothing here is imported by the
engines at inference time, and importing this package imports no heavy library.
"""
