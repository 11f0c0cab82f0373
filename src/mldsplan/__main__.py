from mldsplan.launch import entry

entry()
