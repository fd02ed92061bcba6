import { suite } from "uvu";
import * as assert from "uvu/assert";
import { captioning, compile, edit, graphCodes } from "../harness.js";

const t = suite("graph rule imageSize (LV5005)");
t("processors at the model's image_size pass", () => {
  assert.equal(graphCodes(captioning), []);
});
t("an eval processor at another size is an error at its image_size, with the model's value as related", () => {
  const src = edit(captioning, "blip_image_eval { image_size = 384 }", "blip_image_eval { image_size = 224 }");
  assert.equal(graphCodes(src), [["LV5005", "datasets.coco_caption.vis_processor.eval.image_size", 8]]);
  const d = compile(src).graphDiagnostics[0]!;
  assert.match(d.message, /224x224 images, but the model expects image_size 384/);
  assert.equal(d.related.length, 1);
});
t("changing the model's image_size instead also disagrees with both processors", () => {
  const src = edit(captioning, "load_finetuned = false", "load_finetuned = false\n    image_size = 224");
  assert.equal(graphCodes(src).map((c) => c[0]), ["LV5005", "LV5005"]);
});
t.run();
