"""Tables from Python: run.log_table / run.log_text and a W&B script's wandb.Table, read back through Run.table;
a malformed table is refused where it is logged, naming the cell."""

from __future__ import annotations

import tempfile
import unittest

from tests.live import data, needs_api, new_project, run_script

SCRIPT = '''
import sys
import anneal
import anneal.compat.wandb as wandb

run = wandb.init(project=sys.argv[1], name="tables")
for step in range(3):
    wandb.log({"train/loss": 1.0 / (step + 1)})
table = wandb.Table(columns=["text", "label", "prediction", "probability"])
table.add_data("free money", 0, 1, 0.97)
table.add_data("see you at 3", 0, 0, 0.88)
table.add_data(None, 1, 1, 0.51)
wandb.log({"test/predictions": table})
run.log_text("samples", ["Once upon a time", "It was"], step=10)
errors = []
for bad in ([[1]], [[float("nan"), 2]], [[{"a": 1}, 2]]):
    try:
        run.log_table("bad", ["a", "b"], bad)
    except ValueError as e:
        errors.append(str(e))
print("\\n".join(errors))
wandb.finish()
print(run.id)
'''

TABLE = """query($id: ID!, $key: String!) { run(id: $id) { tables { key steps }
  table(key: $key) { step columns rowCount edges { node { cells } } } } }"""


@needs_api
class TablesTest(unittest.TestCase):
    def test_log_table_and_wandb_table_reach_run_table(self) -> None:
        project = new_project()
        res = run_script(SCRIPT, tempfile.mkdtemp(), (project,))
        self.assertEqual(res.returncode, 0, res.stderr)
        out = res.stdout.strip().splitlines()
        run_id = out[-1]
        self.assertEqual(out[0], "run.log_table('bad'): rows[0]: must have 2 cells (a, b), got 1")
        self.assertEqual(out[1], "run.log_table: rows[0][0] (column 'a'): nan is not a finite number")
        self.assertEqual(out[2], "run.log_table: rows[0][0] (column 'a'): a cell is a str, a number, a bool or None, not dict")
        run = data(TABLE, {"id": run_id, "key": "test/predictions"})["run"]
        self.assertEqual(run["tables"], [{"key": "samples", "steps": [10]}, {"key": "test/predictions", "steps": [3]}])
        self.assertEqual(run["table"]["columns"], ["text", "label", "prediction", "probability"])
        self.assertEqual(
            [e["node"]["cells"] for e in run["table"]["edges"]],
            [["free money", 0, 1, 0.97], ["see you at 3", 0, 0, 0.88], [None, 1, 1, 0.51]],
        )
        samples = data(TABLE, {"id": run_id, "key": "samples"})["run"]["table"]
        self.assertEqual(samples["columns"], ["text"])
        self.assertEqual([e["node"]["cells"] for e in samples["edges"]], [["Once upon a time"], ["It was"]])


if __name__ == "__main__":
    unittest.main()
