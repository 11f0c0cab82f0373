from mldsplan.cli import entry

entry()
