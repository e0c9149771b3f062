"""Training loops of the trainable bricks (the fields classifier)."""
