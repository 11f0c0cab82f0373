"""mldsplan: study planner and credit tracker for Imperial's online MSc in ML and Data Science."""

__version__ = "0.3.0"
