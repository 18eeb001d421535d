"""`anneal.Api(url, key).runs(project, filter, order)` and `.history(keys)`: what a script logged, read back."""

from __future__ import annotations

import tempfile
import unittest

from tests.live import KEY, URL, needs_api, new_project


@needs_api
class ApiTest(unittest.TestCase):
    def test_runs_filter_order_and_paged_history_round_trip(self) -> None:
        import anneal

        project = new_project()
        ids = []
        for lr in (0.1, 0.01, 0.001):
            run = anneal.Run(project=project, name=f"lr-{lr}", config={"optim": {"lr": lr}}, url=URL, api_key=KEY,
                             spool_dir=tempfile.mkdtemp(), console=False, system_metrics_s=0)
            for step in range(25):
                run.log({"loss": lr * step, "acc": step / 25 + lr})
            run.log({"odd": float("nan")}, step=30)
            self.assertTrue(run.finish(timeout=30))
            ids.append(run.id)
        api = anneal.Api(URL, KEY)
        runs = api.runs(project, filter={"field": "config.optim.lr", "op": "LT", "value": 0.05}, order="-summary.acc")
        self.assertEqual([r.name for r in runs], ["lr-0.01", "lr-0.001"])
        self.assertEqual(runs[0].config, {"optim": {"lr": 0.01}})
        self.assertAlmostEqual(runs[0].summary["acc"], 24 / 25 + 0.01)
        everything = api.runs(project, order=[{"field": "name", "direction": "ASC"}], per_page=2)  # two pages
        self.assertEqual([r.name for r in everything], ["lr-0.001", "lr-0.01", "lr-0.1"])
        rows = runs[0].history(["loss", "acc", "odd"], page=7)  # several pages per key
        self.assertEqual([r["_step"] for r in rows], list(range(25)) + [30])
        self.assertAlmostEqual(rows[24]["loss"], 0.24)
        self.assertAlmostEqual(rows[3]["acc"], 3 / 25 + 0.01)
        self.assertNotIn("odd", rows[0])
        self.assertNotEqual(rows[-1]["odd"], rows[-1]["odd"])  # NaN comes back as NaN
        self.assertEqual(api.run(ids[0]).name, "lr-0.1")
        try:
            import pandas  # noqa: F401
        except ImportError:
            with self.assertRaises(ImportError):
                runs.to_dataframe()
        else:
            df = runs.to_dataframe()
            self.assertEqual(list(df["config.optim.lr"]), [0.01, 0.001])

    def test_a_refused_query_names_the_field(self) -> None:
        import anneal

        api = anneal.Api(URL, KEY)
        with self.assertRaises(anneal.Rejected) as e:
            api.runs("no-such-project-xyz")
        self.assertEqual(e.exception.code, "NOT_FOUND")
        with self.assertRaises(anneal.Rejected) as e:
            api.runs(new_project(), filter={"field": "config.x", "op": "BOGUS", "value": 1})
        bad = anneal.Api(URL, "ank_not_a_key")
        with self.assertRaises(anneal.Unreachable):  # a refused key is treated as the API turning us away
            bad.runs("default")


if __name__ == "__main__":
    unittest.main()
