"""Sub-commands of the `massline` CLI: one module each, with a ``register(subparsers)`` function.

Keep imports of heavy libraries (Django, scikit-learn) inside the command function, so that
``massline --help`` stays fast.
"""
