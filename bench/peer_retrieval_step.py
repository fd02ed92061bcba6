"""PyTorch peer of bench/runtime.ts (and of bench/gpu.ts at LAVIS's sizes): the same BLIP retrieval training step (ViT +
BERT-style encoder, ITC with momentum encoders and queues, ITM with hard negatives, AdamW), timed in steps/s. Prints one
JSON line. PEER_DEVICE=cuda runs it on the GPU in plain fp32 (TF32 off in matmuls and cuDNN, as lavisc computes).
Training dropout as LAVIS's med.py and vit.py apply it, at the rates the lavisc side passes (0 when absent):
"hidden_dropout" after the embeddings' LayerNorm and on each attention and feed-forward output before its residual
LayerNorm (BertEmbeddings, BertSelfOutput, BertOutput), "attention_dropout" on the text side's attention
probabilities, self- and cross-attention (BertSelfAttention), and "drop_path" as timm's per-sample DropPath on each
ViT block's attention and MLP branch at linspace(0, drop_path, depth); the momentum encoders drop in train mode too."""
import json, math, os, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

cfg = json.loads(sys.argv[1])


def fp32_matmul_rate():
    """The device's plain fp32 matrix-product rate (8192^3, TF32 off): a measured ceiling for bench/gpu.ts."""
    n = 8192
    a, b = torch.randn(n, n), torch.randn(n, n)
    for _ in range(3):
        a @ b
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    for _ in range(10):
        a @ b
    torch.cuda.synchronize()
    print(json.dumps({"tflops": 10 * 2 * n**3 / (time.perf_counter() - t0) / 1e12, "device": torch.cuda.get_device_name()}))
    sys.exit(0)


# This build of torch starts with 1 intra-op thread even on 2 cores; the comparison is against PyTorch on all cores.
torch.set_num_threads(int(os.environ.get("PEER_THREADS", len(os.sched_getaffinity(0)))))
torch.manual_seed(0)
DEVICE = os.environ.get("PEER_DEVICE", "cpu")
if DEVICE != "cpu":
    if not torch.cuda.is_available():
        sys.exit(f"PEER_DEVICE={DEVICE}: this PyTorch ({torch.__version__}) has no CUDA device")
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.set_default_device(DEVICE)  # every tensor below (model, batch, queues) is made on the device
if cfg.get("mode") == "fp32_matmul":
    fp32_matmul_rate()
W, D, H, P, S = cfg["vit_width"], cfg["vit_depth"], cfg["vit_heads"], cfg["patch_size"], cfg["image_size"]
TW, TL, TH, E, Q, L = cfg["text_width"], cfg["text_layers"], cfg["text_heads"], cfg["embed_dim"], cfg["queue_size"], cfg["max_txt_len"]
B, V, STEPS = cfg.get("batch", 0), cfg["vocab"], cfg["steps"]
P_HID, P_ATT, P_PATH = cfg.get("hidden_dropout", 0.0), cfg.get("attention_dropout", 0.0), cfg.get("drop_path", 0.0)


class DropPath(nn.Module):
    """timm's DropPath: in training, each sample's branch is zeroed with probability p, a kept one scaled by 1/(1-p)."""

    def __init__(self, p):
        super().__init__()
        self.p = p

    def forward(self, x):
        if self.p == 0 or not self.training:
            return x
        keep = 1 - self.p
        mask = x.new_empty((x.shape[0],) + (1,) * (x.ndim - 1)).bernoulli_(keep)
        return x * mask / keep


class Attn(nn.Module):
    def __init__(self, d, h, kv=None, p=0.0):
        super().__init__()
        self.h = h
        self.q, self.k, self.v, self.o = nn.Linear(d, d), nn.Linear(kv or d, d), nn.Linear(kv or d, d), nn.Linear(d, d)
        self.drop = nn.Dropout(p)  # med.py's attention-probs dropout; the ViT's attn_drop_rate is 0

    def forward(self, x, kv, mask=None):
        b, t, d = x.shape
        sp = lambda y: y.view(b, -1, self.h, d // self.h).transpose(1, 2)
        s = sp(self.q(x)) @ sp(self.k(kv)).transpose(-1, -2) / math.sqrt(d // self.h)
        if mask is not None:
            s = s + ((1 - mask) * -10000.0)[:, None, None, :]
        return self.o((self.drop(s.softmax(-1)) @ sp(self.v(kv))).transpose(1, 2).reshape(b, t, d))


class VitBlock(nn.Module):
    def __init__(self, drop_path):
        super().__init__()
        self.n1, self.n2, self.attn = nn.LayerNorm(W, eps=1e-6), nn.LayerNorm(W, eps=1e-6), Attn(W, H)
        self.mlp = nn.Sequential(nn.Linear(W, 4 * W), nn.GELU(), nn.Linear(4 * W, W))
        self.drop_path = DropPath(drop_path)

    def forward(self, x):
        h = self.n1(x)
        x = x + self.drop_path(self.attn(h, h))
        return x + self.drop_path(self.mlp(self.n2(x)))


class Vit(nn.Module):
    def __init__(self):
        super().__init__()
        self.patch = nn.Conv2d(3, W, P, P)
        self.cls = nn.Parameter(torch.randn(1, 1, W) * 0.02)
        self.pos = nn.Parameter(torch.randn(1, (S // P) ** 2 + 1, W) * 0.02)
        self.blocks = nn.ModuleList([VitBlock(r.item()) for r in torch.linspace(0, P_PATH, D, device="cpu")])
        self.norm = nn.LayerNorm(W, eps=1e-6)

    def forward(self, img):
        x = self.patch(img).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], 1) + self.pos
        for b in self.blocks:
            x = b(x)
        return self.norm(x)


class BertLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.sa, self.sn = Attn(TW, TH, p=P_ATT), nn.LayerNorm(TW, eps=1e-12)
        self.ca, self.cn = Attn(TW, TH, W, p=P_ATT), nn.LayerNorm(TW, eps=1e-12)
        self.i, self.o, self.on = nn.Linear(TW, 4 * TW), nn.Linear(4 * TW, TW), nn.LayerNorm(TW, eps=1e-12)
        self.drop = nn.Dropout(P_HID)  # BertSelfOutput's (self and cross) and BertOutput's, before the residual LayerNorm

    def forward(self, x, mask, img):
        x = self.sn(x + self.drop(self.sa(x, x, mask)))
        if img is not None:
            x = self.cn(x + self.drop(self.ca(x, img)))
        return self.on(x + self.drop(self.o(F.gelu(self.i(x)))))


class Bert(nn.Module):
    def __init__(self):
        super().__init__()
        self.we, self.pe, self.ln = nn.Embedding(V, TW), nn.Embedding(512, TW), nn.LayerNorm(TW, eps=1e-12)
        self.drop = nn.Dropout(P_HID)  # BertEmbeddings' dropout after the LayerNorm
        self.layers = nn.ModuleList([BertLayer() for _ in range(TL)])

    def forward(self, ids, mask, img=None):
        x = self.drop(self.ln(self.we(ids) + self.pe.weight[: ids.shape[1]]))
        for l in self.layers:
            x = l(x, mask, img)
        return x


class Blip(nn.Module):
    def __init__(self):
        super().__init__()
        self.vis, self.txt = Vit(), Bert()
        self.vp, self.tp, self.itm = nn.Linear(W, E), nn.Linear(TW, E), nn.Linear(TW, 2)
        self.temp = nn.Parameter(torch.tensor(0.07))
        self.vis_m, self.txt_m, self.vp_m, self.tp_m = Vit(), Bert(), nn.Linear(W, E), nn.Linear(TW, E)
        self.pairs = [(self.vis, self.vis_m), (self.txt, self.txt_m), (self.vp, self.vp_m), (self.tp, self.tp_m)]
        for a, b in self.pairs:
            for p, pm in zip(a.parameters(), b.parameters()):
                pm.data.copy_(p.data)
                pm.requires_grad = False
        self.register_buffer("iq", F.normalize(torch.randn(E, Q), dim=0))
        self.register_buffer("tq", F.normalize(torch.randn(E, Q), dim=0))
        self.register_buffer("idq", torch.full((1, Q), -100))
        self.ptr = 0

    def forward(self, img, ids, mask, idx, alpha=0.4, m=0.995):
        with torch.no_grad():
            self.temp.clamp_(0.001, 0.5)
        ie = self.vis(img)
        if_ = F.normalize(self.vp(ie[:, 0]), dim=-1)
        tf_ = F.normalize(self.tp(self.txt(ids, mask)[:, 0]), dim=-1)
        idx = idx.view(-1, 1)
        pos = torch.eq(idx, torch.cat([idx.t(), self.idq], 1)).float()
        tgt = pos / pos.sum(1, keepdim=True)
        with torch.no_grad():
            for a, b in self.pairs:
                for p, pm in zip(a.parameters(), b.parameters()):
                    pm.data.mul_(m).add_(p.data, alpha=1 - m)
            ifm = F.normalize(self.vp_m(self.vis_m(img)[:, 0]), dim=-1)
            tfm = F.normalize(self.tp_m(self.txt_m(ids, mask)[:, 0]), dim=-1)
            ifa, tfa = torch.cat([ifm.t(), self.iq], 1), torch.cat([tfm.t(), self.tq], 1)
            i2t_t = alpha * F.softmax(ifm @ tfa / self.temp, 1) + (1 - alpha) * tgt
            t2i_t = alpha * F.softmax(tfm @ ifa / self.temp, 1) + (1 - alpha) * tgt
        l_itc = (-(F.log_softmax(if_ @ tfa / self.temp, 1) * i2t_t).sum(1).mean() - (F.log_softmax(tf_ @ ifa / self.temp, 1) * t2i_t).sum(1).mean()) / 2
        with torch.no_grad():
            cols = [(self.ptr + i) % Q for i in range(B)]
            self.iq[:, cols], self.tq[:, cols], self.idq[:, cols] = ifm.t(), tfm.t(), idx.t()
            self.ptr = (self.ptr + B) % Q
        enc = ids.clone()
        enc[:, 0] = 1
        with torch.no_grad():
            same = torch.eq(idx, idx.t())
            s = if_ @ tf_.t() / self.temp
            w_i2t = F.softmax(s, 1).masked_fill(same, 0)
            w_t2i = F.softmax(s.t(), 1).masked_fill(same, 0)
            neg_img = torch.multinomial(w_t2i, 1).squeeze(1)
            neg_txt = torch.multinomial(w_i2t, 1).squeeze(1)
        out = self.txt(torch.cat([enc, enc, enc[neg_txt]]), torch.cat([mask, mask, mask[neg_txt]]), torch.cat([ie, ie[neg_img], ie]))
        logits = self.itm(out[:, 0])
        labels = torch.cat([torch.ones(B, dtype=torch.long), torch.zeros(2 * B, dtype=torch.long)])
        return l_itc + F.cross_entropy(logits, labels)


def beam_search_bench():
    """Caption decoding as bench/runtime.ts times it: ViT once, cross-attention keys/values cached, then per step only
    the newest token through the decoder with a growing self-attention cache, log-softmax, top-k over beams x vocab and
    a cache reorder. EOS is banned until max length (min_len = max_len), so every run decodes the same number of steps."""
    K, steps = cfg["beams"], cfg["new_tokens"]

    class Dec(nn.Module):
        def __init__(self):
            super().__init__()
            self.bert = Bert()
            self.dense, self.ln, self.bias = nn.Linear(TW, TW), nn.LayerNorm(TW, eps=1e-12), nn.Parameter(torch.zeros(V))

        def logits(self, h):
            return self.ln(F.gelu(self.dense(h))) @ self.bert.we.weight.t() + self.bias

    vis, dec = Vit().eval(), Dec().eval()
    hd = TW // TH
    heads = lambda y: y.view(y.shape[0], -1, TH, hd).transpose(1, 2)

    def attend(a, q_in, k, v):
        s = heads(a.q(q_in)) @ k.transpose(-1, -2) / math.sqrt(hd)
        ctx = (s.softmax(-1) @ v).transpose(1, 2).reshape(q_in.shape[0], -1, TW)
        return a.o(ctx)

    def run():
        with torch.no_grad():
            img = vis(torch.randn(B, 3, S, S)).repeat_interleave(K, 0)
            cross = [(heads(l.ca.k(img)), heads(l.ca.v(img))) for l in dec.bert.layers]
            selfkv = [None] * TL
            tokens = torch.full((B * K, 1), 1, dtype=torch.long)
            scores = torch.zeros(B, K)
            scores[:, 1:] = -1e9
            for t in range(steps):
                x = dec.bert.ln(dec.bert.we(tokens[:, -1:]) + dec.bert.pe.weight[t : t + 1])
                for i, l in enumerate(dec.bert.layers):
                    k, v = heads(l.sa.k(x)), heads(l.sa.v(x))
                    if selfkv[i] is not None:
                        k, v = torch.cat([selfkv[i][0], k], 2), torch.cat([selfkv[i][1], v], 2)
                    selfkv[i] = (k, v)
                    x = l.sn(x + attend(l.sa, x, k, v))
                    x = l.cn(x + attend(l.ca, x, *cross[i]))
                    x = l.on(x + l.o(F.gelu(l.i(x))))
                logp = F.log_softmax(dec.logits(x[:, -1]), -1)
                logp[:, 2] = -float("inf")  # EOS banned (min_len = max_len)
                cand = (scores.view(-1, 1) + logp).view(B, K * V)
                top, idx = cand.topk(K, 1)
                origin = (idx // V + torch.arange(B).view(-1, 1) * K).view(-1)
                tokens = torch.cat([tokens[origin], (idx % V).view(-1, 1)], 1)
                selfkv = [(k[origin], v[origin]) for k, v in selfkv]
                scores = top
            return tokens

    run()
    t0 = time.perf_counter()
    reps = cfg["reps"]
    for _ in range(reps):
        run()
    dt = time.perf_counter() - t0
    print(json.dumps({"tokens_per_s": reps * B * steps / dt, "threads": torch.get_num_threads()}))
    sys.exit(0)


if cfg.get("mode") == "beam":
    beam_search_bench()


model = Blip()
decay = [p for n, p in model.named_parameters() if p.requires_grad and p.ndim >= 2]
no_decay = [p for n, p in model.named_parameters() if p.requires_grad and p.ndim < 2]
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": no_decay, "weight_decay": 0}], lr=1e-4)
device_name = torch.cuda.get_device_name() if DEVICE.startswith("cuda") else "cpu"


def step(img, ids, mask, idx):
    loss = model(img, ids, mask, idx)
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


# "batches": several batch sizes with one model (bench/gpu.ts), a JSON line each; stops at the first that does not fit.
for B in cfg.get("batches", [B]):
    img, ids, mask, idx = torch.randn(B, 3, S, S), torch.randint(5, V, (B, L)), torch.ones(B, L), torch.arange(B)
    try:
        for _ in range(cfg.get("warmup", 3)):
            step(img, ids, mask, idx)
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(STEPS):
            step(img, ids, mask, idx)
        dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    except getattr(torch, "OutOfMemoryError", MemoryError):
        print(json.dumps({"batch": B, "error": "out of memory"}))
        break
    # Steps per CPU-second (all threads' CPU time): on a loaded machine, what one free core would give with 1 thread.
    print(json.dumps({"batch": B, "steps_per_s": STEPS / dt, "cpu_steps_per_s": STEPS / cpu, "threads": torch.get_num_threads(), "torch": torch.__version__, "device": device_name, "dropout": {"hidden": P_HID, "attention": P_ATT, "drop_path": P_PATH}}), flush=True)
