"""Commands: one module per group, plain functions that load, call the domain, save and
return a result. Imports the domain, storage and output."""
