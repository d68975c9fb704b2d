"""The ``chainrule`` command line: the teaching demo, the expression stepper, training, checks.

It sits on top of the three libraries (``engine``, ``nn``, ``viz``) and is
the only package that imports all of them.
"""
