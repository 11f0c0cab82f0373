from mldsplan.cli import app

app(prog_name="mldsplan")
