import { suite } from "uvu";
import * as assert from "uvu/assert";
import { compile, edit, graphCodes, retrievalWithFiles } from "../harness.js";

const base = retrievalWithFiles("/nonexistent");
const t = suite("graph rule textLength (LV5006)");
t("no max_txt_len in the model config: nothing to compare", () => {
  assert.equal(graphCodes(base), []);
});
t("max_words above max_txt_len warns for each text processor in use", () => {
  const src = edit(base, "load_finetuned = false", "load_finetuned = false\n    max_txt_len = 35");
  const found = graphCodes(src);
  assert.equal(found.map((c) => [c[0], c[1]]), [
    ["LV5006", "datasets.coco_retrieval.text_processor.train.max_words"],
    ["LV5006", "datasets.coco_retrieval.text_processor.eval.max_words"],
  ]);
  assert.equal(compile(src).graphDiagnostics[0]!.severity, "warning");
});
t("max_words within max_txt_len passes", () => {
  const src = edit(edit(edit(base, "load_finetuned = false", "load_finetuned = false\n    max_txt_len = 35"),
    "text_processor.train = blip_caption", "text_processor.train = blip_caption { max_words = 30 }"),
    "text_processor.eval = blip_caption", "text_processor.eval = blip_caption { max_words = 35 }");
  assert.equal(graphCodes(src), []);
});
t.run();
