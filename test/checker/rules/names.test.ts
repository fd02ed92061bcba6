import { suite } from "uvu";
import * as assert from "uvu/assert";
import { codes, diagnose, edit } from "../harness.js";

const t = suite("rules: registry names (LV2003-LV2010)");
t("unknown arch (LV2003) with a suggestion", () => {
  const { diags } = diagnose(edit("model blip_retrieval(coco)", "model blip_retrievl(coco)"));
  assert.equal(diags.map((d) => d.code), ["LV2003"]);
  assert.match(diags[0]!.hint!, /blip_retrieval/);
});
t("unknown model type (LV2004) lists the arch's types", () => {
  const { diags } = diagnose(edit("model blip_retrieval(coco)", "model blip_retrieval(large)"));
  assert.equal(diags.map((d) => d.code), ["LV2004"]);
  assert.match(diags[0]!.hint!, /`coco`, `flickr`/);
});
t("unknown builder (LV2005)", () => {
  assert.equal(codes(edit("data coco_retrieval {", "data coco_retrievl {")).map((c) => c.code), ["LV2005"]);
});
t("unknown dataset type (LV2006)", () => {
  assert.equal(codes(edit("data coco_retrieval {", "data coco_retrieval(eval) {")), [{ code: "LV2006", line: 6, column: 23 }]);
});
t("unknown task (LV2007)", () => {
  assert.equal(codes(edit("task retrieval", "task retreival")), [{ code: "LV2007", line: 2, column: 8 }]);
});
t("unknown processor (LV2008)", () => {
  assert.equal(codes(edit("text_processor.eval = blip_caption", "text_processor.eval = blip_captoin")), [{ code: "LV2008", line: 10, column: 27 }]);
});
t("unknown scheduler (LV2009)", () => {
  assert.equal(codes(edit("min_lr = 0", "min_lr = 0\n    lr_sched = cosine")), [{ code: "LV2009", line: 15, column: 16 }]);
});
t("unknown runner (LV2010)", () => {
  assert.equal(codes(edit("min_lr = 0", "min_lr = 0\n    runner = runner_epoch")), [{ code: "LV2010", line: 15, column: 14 }]);
});
// Found by mutation fuzzing: `arch: null` crashed the arch rule (exit 3) instead of reaching the type check.
for (const [value, code] of [["null", "LV3004"], ["5", "LV3001"], ["[blip_retrieval]", "LV3001"]] as const) {
  t(`an arch that is not a name (${value}) is the type check's ${code}, with no model type check`, () => {
    const yaml = `model:\n  arch: ${value}\n  model_type: base\nrun:\n  task: retrieval\n`;
    assert.equal(codes(yaml, { name: "/virtual/exp.yaml", withPath: true }).filter((d) => d.path?.startsWith("model.")), [{ code, line: 2, column: 9, path: "model.arch" }]);
  });
}
t("names in quotes work too", () => {
  assert.equal(codes(edit("task retrieval", "task \"retrieval\"")), []);
});
t.run();
