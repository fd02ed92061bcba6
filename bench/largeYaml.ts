// `npm run bench:yaml`: lavisc on a large LAVIS YAML against the peer (the real OmegaConf), wall time and peak memory.
// The file (about 5 MB) is a caption config whose train annotations list 35,000 quoted shard URLs and their 35,000
// storage paths. Each command runs in
// its own process under GNU time (`%e %M`: wall seconds, peak RSS), so start-up is included on both sides.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "lavisc-bench-yaml-"));
const base = readFileSync(join(root, "test", "cases", "interop", "blip_caption_coco_ft.yaml"), "utf8");
// LAVIS pairs each url with a storage path (it asserts equal lengths), so the file lists both.
const SHARDS = 35_000;
const shard = (i: number) => `coco_karpathy_train_${String(i).padStart(7, "0")}.json`;
const urls = Array.from({ length: SHARDS }, (_, i) => `          - "https://storage.example.com/shards/${shard(i)}"\n`).join("");
const storage = Array.from({ length: SHARDS }, (_, i) => `          - "coco/annotations/shards/${shard(i)}"\n`).join("");
const yaml = base.replace("  coco_caption: # name of the dataset builder\n", `  coco_caption: # name of the dataset builder\n    build_info:\n      annotations:\n        train:\n          url:\n${urls}          storage:\n${storage}`);
const file = join(dir, "large.yaml");
writeFileSync(file, yaml);

function measure(label: string, cmd: string, args: string[]): { secs: number; mb: number } {
  const out = join(dir, "time.txt");
  const r = spawnSync("/usr/bin/time", ["-f", "%e %M", "-o", out, cmd, ...args], { cwd: dir, encoding: "utf8", maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`${label} failed (exit ${r.status}): ${r.stderr.slice(-2000)}`);
  const [secs, kb] = readFileSync(out, "utf8").trim().split(/\s+/).map(Number) as [number, number];
  const mb = Math.round(kb / 1024);
  console.log(`${label.padEnd(28)} ${secs.toFixed(2).padStart(7)} s ${String(mb).padStart(6)} MB`);
  return { secs, mb };
}

console.log(`large YAML: ${(yaml.length / 1e6).toFixed(1)} MB, 70,000 list items (35,000 urls and storage paths) (load: ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")})`);
const lavisc = join(root, "bin", "lavisc.cjs");
const check = measure("lavisc check", process.execPath, [lavisc, "check", file]);
const migrate = measure("lavisc migrate -o large.lv", process.execPath, [lavisc, "migrate", file, "-o", join(dir, "large.lv")]);
const peer = measure("peer: OmegaConf.load", "/usr/bin/python3", ["-c", "import sys\nfrom omegaconf import OmegaConf\nOmegaConf.load(sys.argv[1])", file]);
console.log(`ratio (peer time / lavisc time): check ${(peer.secs / check.secs).toFixed(2)}, migrate ${(peer.secs / migrate.secs).toFixed(2)}`);
console.log(`peak memory: check ${check.mb} MB, migrate ${migrate.mb} MB, peer ${peer.mb} MB`);
rmSync(dir, { recursive: true, force: true });
