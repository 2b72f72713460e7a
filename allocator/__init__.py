"""allocator: split an internationalization budget with a linear program, ask what-if questions, score performance."""

__version__ = "0.1.0"
