#!/usr/bin/env bash
# The GPU benchmark (bench/gpu.ts): blip_retrieval training steps at LAVIS's sizes (ViT-B/16 at 384 px, BERT-base) on
# the GPU lavisc finds through WebGPU (or GPU_DEVICE=cuda: tfjs-node-gpu), growing batch sizes until one does not
# fit; images per second and achieved TFLOP/s against GPU_PEAK_TFLOPS (the GPU's fp32 peak). First the peer: the same
# step in PyTorch on CUDA (plain fp32) at the same batch sizes, and PyTorch's fp32 matrix-product rate (python3 with a
# CUDA PyTorch; GPU_PEER=0 skips it). Linux needs the Vulkan loader (libvulkan1) and the GPU's Vulkan driver.
#   GPU_PEAK_TFLOPS=67 bench/gpu.sh         # e.g. an H100/H200 SXM (fp32 without TF32); see bench/README.md for others
#   bench/gpu.sh --tiny                     # dry run with the quickstart's tiny model (any adapter, a software one too)
# The last line is "gpu: <device>: <model> batch B, X images/s, Y TFLOP/s[, Z% of fp32 peak P][, ...; ratio R]".
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--tiny" ]; then export GPU_SIZE=tiny; fi
npm run build >/dev/null
if command -v nvidia-smi >/dev/null 2>&1; then nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader; fi
echo "load: $(uptime)"
exec node dist/bench/gpu.js
