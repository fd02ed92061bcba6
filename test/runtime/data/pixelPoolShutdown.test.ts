import { test } from "uvu";
import * as assert from "uvu/assert";
import { pixelBuilder, shutdownPixelWorkers } from "../../../src/runtime/data/pixelPool.js";

// Idle pixel workers are unref'd so that they do not keep a finished process alive; shutting them down must still
// settle. Before the fix, a reply that arrived while the workers were being terminated unref'd them again, and the
// event loop could empty before they had exited: the process ended with the shutdown's promise pending (uvu: "Exiting
// early"), which a test that closes its data factory after a failed run hit 1 time in 20-40.

test("shutting the pixel workers down settles, with a job's reply arriving meanwhile", async () => {
  for (let round = 0; round < 20; round++) {
    const job = { processors: [{ name: "blip_image_eval", params: { image_size: 8 } }], paths: ["/nonexistent/lavisc-test.png"], seeds: [round] };
    const reply = pixelBuilder(1).build(job).then(() => "built", () => "failed");
    let settled = false;
    await shutdownPixelWorkers().then(() => (settled = true));
    assert.ok(settled, `round ${round}`);
    await reply;
  }
});

test.run();
