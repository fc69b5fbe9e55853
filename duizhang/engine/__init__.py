"""The Django-free functional core: plain records in, plain results out."""
