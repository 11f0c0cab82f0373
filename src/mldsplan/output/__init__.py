"""Output: how results look: Rich tables, JSON, markdown, CSV, ICS and the dashboard
page. Imports the domain only."""
