# Writes pyyaml_scalars.jsonl: {"value": V, "yaml": what MLflow's write_yaml writes for {"k": V}} (PyYAML 6 with libyaml, Debian 12)
import json, yaml
values = ["", "0", "626389726608494763", "1.5", "true", "null", "train-1", "file:///srv/mlflow/mlruns-local/0", "a: b", "it's",
          "'quoted'", "- dash", "line\nbreak", "0x1F", "017", "1_000", "12:30", ".5", "2026-11-22", "Yes", "~", "1.0.0", "1e5",
          "017a2ff1e99646f4afc3af238c4ffd87", "modular arithmetic", "é algèbre", "tab\there", "#hash", "x #y", "trailing ",
          "a" * 90 + " " + "b" * 10, "NULL", "on", "=", "<<", "[x]", "{y}", "@at", "`tick", "%pct", "!bang", "&amp", "*star",
          "|pipe", ">gt", "?q", "?", ":", "-", "a:b", "2026-11-22 07:30:00.000000", "combinatorics", "TagOlym tag suggester",
          "mlflow-artifacts:/1/abc/artifacts/model", " leading", "x\u0007bell", "emoji \U0001F600", "ünïcödé"]
with open("pyyaml_scalars.jsonl", "w") as out:
    for v in values:
        out.write(json.dumps({"value": v, "yaml": yaml.dump({"k": v}, Dumper=yaml.CSafeDumper, default_flow_style=False, allow_unicode=True)}) + "\n")
