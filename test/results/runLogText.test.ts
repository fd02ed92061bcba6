import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseEvaluateTxt, parseLogTxt, parsePyJson } from "../../src/report/runLogText.js";

const LOG = `{
    "run": {
        "task": "captioning",
        "valid_splits": [
            "val"
        ]
    }
}
{"train_lr": "0.001", "train_loss": "2.500"}
{"val_Bleu_4": 0.1, "val_agg_metrics": 0.5, "val_best_epoch": 0}
{"train_lr": "0.000", "train_loss": "nan"}
{"val_Bleu_4": NaN, "val_agg_metrics": 0.4, "val_best_epoch": 0}
`;

test("log.txt: the config block, then an epoch per train line with the validation that followed it", () => {
  const r = parseLogTxt(LOG);
  assert.equal((r.config!["run"] as Record<string, unknown>)["task"], "captioning");
  assert.is(r.epochs.length, 2);
  assert.equal(r.epochs[0], { epoch: 0, train: { lr: 0.001, loss: 2.5 }, valid: { val: { Bleu_4: 0.1, agg_metrics: 0.5 } }, bestEpoch: 0 });
  assert.ok(Number.isNaN(r.epochs[1]!.train["loss"]));
  assert.ok(Number.isNaN(r.epochs[1]!.valid["val"]!["Bleu_4"]));
});

test("Python's NaN and Infinity are read outside strings only", () => {
  assert.equal(parsePyJson('{"a": "NaN here", "b": -Infinity}'), { a: "NaN here", b: -Infinity });
});

test("evaluate.txt: nested lines name their split, flat ones do not", () => {
  const e = parseEvaluateTxt('{"val": {"agg_metrics": 0.5, "acc": 0.5}}\n{"agg_metrics": 45.7, "other": 40.0}\n');
  assert.equal(e, [{ split: "val", metrics: { agg_metrics: 0.5, acc: 0.5 } }, { split: null, metrics: { agg_metrics: 45.7, other: 40 } }]);
});

test.run();
