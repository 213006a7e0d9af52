"""nlsh: English in, ranked, checked, explained shell commands out."""

__version__ = "0.1.0"
