"""``python -m matcher.cli``: the ``matcher`` command."""

from matcher.cli import main

main()
