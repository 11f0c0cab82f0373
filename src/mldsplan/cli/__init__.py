"""The edge: the Typer app, its commands' declarations, and what a run says, asks and parses."""
