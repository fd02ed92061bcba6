#!/usr/bin/env python3
"""Reads YAML files with the real OmegaConf, for lavisc's interop tests.

    omegaconfLoad.py load FILE...                      OmegaConf.load(FILE), resolved
    omegaconfLoad.py merge PEER_DIR ROOT FILE...       LAVIS's merge (shared/peer/lavis_merge.py) of each project FILE
    omegaconfLoad.py merge-options PEER_DIR ROOT CASES LAVIS's merge of each project with its --options: CASES is a
                                                       JSON file [[FILE, [OPTION, ...]], ...]

Prints one JSON object {FILE: value}, where value is OmegaConf.to_container(cfg, resolve=True) with every float
written as {"$float": repr(x)} (JSON alone would turn 1.0 into 1), or {"$error": "<type>: <message>"}.
"""
import json
import os
import sys

from omegaconf import OmegaConf


def typed(v):
    if isinstance(v, bool) or v is None or isinstance(v, (int, str)):
        return v
    if isinstance(v, float):
        return {"$float": repr(v)}
    if isinstance(v, dict):
        return {str(k): typed(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [typed(x) for x in v]
    return {"$error": "unexpected value type " + type(v).__name__}


def main(argv):
    mode, rest = argv[0], argv[1:]
    out = {}
    if mode == "load":
        for f in rest:
            try:
                out[f] = typed(OmegaConf.to_container(OmegaConf.load(f), resolve=True))
            except Exception as e:  # noqa: BLE001 -- reported to the test as data
                out[f] = {"$error": "{}: {}".format(type(e).__name__, e)}
    elif mode == "merge":
        peer, root, files = rest[0], os.path.abspath(rest[1]), [os.path.abspath(f) for f in rest[2:]]
        sys.path.insert(0, peer)
        import lavis_merge  # noqa: E402 -- the peer is found at run time
        lavis_merge.load_registry(os.path.join(root, "registry.json"))
        os.chdir(root)
        for f in files:
            try:
                out[f] = typed(OmegaConf.to_container(lavis_merge.build_config(f), resolve=True))
            except Exception as e:  # noqa: BLE001
                out[f] = {"$error": "{}: {}".format(type(e).__name__, e)}
    elif mode == "merge-options":
        peer, root = rest[0], os.path.abspath(rest[1])
        with open(rest[2], encoding="utf-8") as fh:
            cases = [(os.path.abspath(f), opts) for f, opts in json.load(fh)]
        sys.path.insert(0, peer)
        import lavis_merge  # noqa: E402 -- the peer is found at run time
        lavis_merge.load_registry(os.path.join(root, "registry.json"))
        os.chdir(root)
        for f, opts in cases:
            try:
                out[f] = typed(OmegaConf.to_container(lavis_merge.build_config(f, opts), resolve=True))
            except Exception as e:  # noqa: BLE001
                out[f] = {"$error": "{}: {}".format(type(e).__name__, e)}
    else:
        sys.exit("usage: omegaconfLoad.py load FILE... | merge PEER_DIR ROOT FILE... | merge-options PEER_DIR ROOT CASES")
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
