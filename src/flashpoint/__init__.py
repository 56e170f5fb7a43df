"""flashpoint: conflict-event data from news reports, with the evidence."""

__version__ = "0.1.0"
