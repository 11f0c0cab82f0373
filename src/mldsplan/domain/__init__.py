"""The domain: the records, every rule once, and the calculations. Pure: it reads no
clock, file or environment, prints nothing and imports no Typer, Rich, Jinja2 or TOML
library (today and now are arguments)."""
