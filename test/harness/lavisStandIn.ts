// A stand-in for LAVIS's train.py: loads the exported YAML with the real OmegaConf and reports what torch.distributed
// gives it, in rank<N>.json beside itself.
export const lavisTrainStandIn = `import argparse, json, os
import torch.distributed as dist
from omegaconf import OmegaConf
p = argparse.ArgumentParser()
p.add_argument("--cfg-path", required=True)
p.add_argument("--options", nargs="+")
a = p.parse_args()
cfg = OmegaConf.load(a.cfg_path)
dist.init_process_group("gloo")
rank, world = dist.get_rank(), dist.get_world_size()
out = {"rank": rank, "world": world, "task": cfg.run.task, "init_lr": cfg.run.init_lr, "arch": cfg.model.arch, "output_dir": cfg.run.output_dir}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "rank%d.json" % rank), "w") as f:
    json.dump(out, f)
dist.barrier()
dist.destroy_process_group()
`;
