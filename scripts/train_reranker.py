#!/usr/bin/python3
"""Trains the sentence reranker (models/reranker.onnx) with PyTorch and exports it to ONNX.

Run with Debian's interpreter (apt-get install -y python3-torch python3-onnx):

    /usr/bin/python3 scripts/train_reranker.py --lists A.jsonl B.jsonl --out models/reranker.onnx

Inputs are the engine's own n-best lists over corpus clauses (scripts/dump-nbest.ts, decoded
with jackknife language models that never counted the clause: no optimistic bias), and the
corpus text itself for pretraining character embeddings.

1. Character vocabulary: every Han character seen at least --min-count times in the corpus.
2. Character embeddings pretrained skip-gram style on all corpus text (PPMI + truncated SVD):
   knowledge from far more text than the lists hold.
3. A listwise reranker: each candidate's characters (with boundary tokens) go through a
   bidirectional GRU; a small layer scores every position and the scores are summed. The
   softmax over a list of `-alpha * decoder_cost + score` is trained to put the gold sentence
   first (lists without the gold are skipped). At run time the engine orders by
   `decoder_cost - score / alpha` (`scale` = 1 / alpha in the metadata).
4. Export: int8 embedding rows with per-row scales, GRU and scorer in float32, opset 14.

Checkpoints go to --work (default .cache/reranker); a log line every few hundred steps.
"""
import argparse
import json
import os
import random
import re
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# One thread: on this shared 2-core machine a second OpenMP thread made the GRU ten times slower.
torch.set_num_threads(int(os.environ.get("TORCH_THREADS", "1")))
HAN = re.compile(r'[\u3400-\u9fff]+')
PAD, UNK, BOS, EOS = 0, 1, 2, 3
SPECIALS = 4


def log(msg):
    print(f'[train_reranker {time.strftime("%H:%M:%S")}] {msg}', file=sys.stderr, flush=True)


def read_corpus(corpus_dir):
    runs = []
    for name in sorted(os.listdir(corpus_dir)):
        if name.endswith('.txt'):
            with open(os.path.join(corpus_dir, name), encoding='utf-8') as f:
                for line in f:
                    runs.extend(HAN.findall(line))
    return runs


def build_vocab(runs, min_count):
    counts = {}
    for r in runs:
        for ch in r:
            counts[ch] = counts.get(ch, 0) + 1
    chars = sorted((c for c, n in counts.items() if n >= min_count), key=lambda c: (-counts[c], c))
    return chars, {c: i + SPECIALS for i, c in enumerate(chars)}


def encode(text, index):
    return [BOS] + [index.get(ch, UNK) for ch in text] + [EOS]


def pretrain_embeddings(runs, index, dim, window):
    """Character embeddings from all corpus text, skip-gram style: the positive pointwise mutual
    information of (character, neighbour within `window`) pairs, factorised by a truncated SVD.
    This is the matrix skip-gram with negative sampling implicitly factorises (Levy & Goldberg,
    2014), computed in seconds instead of an hour of sampled updates on this CPU."""
    V = len(index) + SPECIALS
    seqs = [torch.tensor(encode(r, index), dtype=torch.long) for r in runs if len(r) >= 2]
    keys = []
    for s in seqs:
        n = len(s)
        for d in range(1, window + 1):
            if n > d:
                keys.append(s[:-d] * V + s[d:])
                keys.append(s[d:] * V + s[:-d])
    counts = torch.bincount(torch.cat(keys), minlength=V * V).view(V, V).double()
    log(f'co-occurrence: {len(seqs)} runs, {int(counts.sum().item())} pairs, vocabulary {V}')
    total = counts.sum()
    row = counts.sum(1, keepdim=True)
    col = counts.sum(0, keepdim=True).pow(0.75)  # context smoothing, as skip-gram's noise
    col = col / col.sum() * total
    pmi = torch.log((counts * total).clamp(min=1e-12) / (row * col).clamp(min=1e-12))
    ppmi = torch.where(counts > 0, pmi.clamp(min=0), torch.zeros(()))
    u, sv, _ = torch.svd_lowrank(ppmi.float(), q=dim, niter=4)
    emb = u * sv.sqrt()
    log(f'embeddings: {dim} dimensions, top singular values {sv[:4].tolist()}')
    return emb


class Reranker(nn.Module):
    """Scores candidate sentences: a contextual encoder over the characters (a bidirectional
    GRU, or a stack of convolutions), a score at every position, the scores summed."""

    def __init__(self, vocab_size, dim, hidden, arch='bigru'):
        super().__init__()
        self.arch = arch
        self.emb = nn.Embedding(vocab_size, dim, padding_idx=PAD)
        if arch == 'bigru':
            self.fwd = nn.GRU(dim, hidden, batch_first=True)
            self.bwd = nn.GRU(dim, hidden, batch_first=True)
            self.mix = nn.Linear(2 * hidden, hidden)
        else:
            self.conv1 = nn.Conv1d(dim, hidden, 3, padding=1)
            self.conv2 = nn.Conv1d(hidden, hidden, 3, padding=1)
            self.mix = nn.Linear(hidden, hidden)
        self.out = nn.Linear(hidden, 1)
        self.log_alpha = nn.Parameter(torch.zeros(()))

    def forward(self, ids, lens):
        """ids [N, L] (right-padded), lens [N] -> score [N]."""
        return self.encode_and_score(self.emb(ids), lens)

    def encode_and_score(self, x, lens):
        N, L = x.shape[0], x.shape[1]
        t = torch.arange(L).unsqueeze(0)
        valid = t < lens.unsqueeze(1)
        if self.arch == 'bigru':
            # Each sequence reversed within its length, padding left at the end.
            rev = torch.where(valid, lens.unsqueeze(1) - 1 - t, t.expand(N, L))
            hf, _ = self.fwd(x)
            xr = torch.gather(x, 1, rev.unsqueeze(-1).expand(N, L, x.shape[-1]))
            hb, _ = self.bwd(xr)
            hb = torch.gather(hb, 1, rev.unsqueeze(-1).expand(N, L, hb.shape[-1]))
            h = torch.tanh(self.mix(torch.cat([hf, hb], -1)))
        else:
            m = valid.float().unsqueeze(1)
            c = torch.tanh(self.conv1(x.transpose(1, 2)) * m)
            c = torch.tanh(self.conv2(c) * m + c)
            h = torch.tanh(self.mix(c.transpose(1, 2)))
        s = self.out(h).squeeze(-1)
        return (s * valid.float()).sum(1)


class ExportReranker(nn.Module):
    """The same network with int8 embedding rows and per-row scales, for ONNX export."""

    def __init__(self, model):
        super().__init__()
        w = model.emb.weight.detach()
        scale = w.abs().amax(1, keepdim=True).clamp(min=1e-8) / 127.0
        self.register_buffer('emb_q', torch.round(w / scale).clamp(-127, 127).to(torch.int8))
        self.register_buffer('emb_scale', scale.float())
        self.model = model

    def forward(self, ids, lens):
        ids = ids.long()
        x = self.emb_q[ids].float() * self.emb_scale[ids]
        return self.model.encode_and_score(x, lens.long())


def load_lists(paths, index, k):
    lists = []
    seen = 0
    for p in paths:
        with open(p, encoding='utf-8') as f:
            for line in f:
                seen += 1
                r = json.loads(line)
                texts = [c[0] for c in r['c'][:k]]
                if r['g'] not in texts or len(texts) < 2:
                    continue
                costs = [c[1] for c in r['c'][:k]]
                lists.append((r['s'], [encode(t, index) for t in texts], [c - costs[0] for c in costs], texts.index(r['g'])))
    log(f'lists: {seen} read, {len(lists)} hold the gold and 2+ candidates')
    return lists


def batch_tensors(batch):
    seqs = [s for _, cands, _, _ in batch for s in cands]
    L = max(len(s) for s in seqs)
    ids = torch.zeros(len(seqs), L, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, :len(s)] = torch.tensor(s)
    lens = torch.tensor([len(s) for s in seqs])
    costs = torch.tensor([c for _, _, cs, _ in batch for c in cs], dtype=torch.float)
    sizes = [len(c) for _, c, _, _ in batch]
    gold = [g for _, _, _, g in batch]
    return ids, lens, costs, sizes, gold


def list_loss(model, batch):
    ids, lens, costs, sizes, gold = batch_tensors(batch)
    score = model(ids, lens)
    alpha = model.log_alpha.exp()
    logits = -alpha * costs + score
    loss = 0.0
    right = 0
    base = 0
    at = 0
    for n, g in zip(sizes, gold):
        lg = logits[at:at + n]
        loss = loss + (torch.logsumexp(lg, 0) - lg[g])
        right += int(torch.argmax(lg).item() == g)
        base += int(g == 0)
        at += n
    return loss / len(sizes), right, base


def evaluate(model, lists, batch_size):
    model.eval()
    right = base = 0
    total = 0.0
    with torch.no_grad():
        for i in range(0, len(lists), batch_size):
            b = lists[i:i + batch_size]
            loss, r, bs = list_loss(model, b)
            total += loss.item() * len(b)
            right += r
            base += bs
    model.train()
    return total / len(lists), right / len(lists), base / len(lists)


CHECK_TEXTS = ['你好', '我们明天去吃饭吧', '今天天气怎么样', '好的谢谢', '哈哈哈哈哈', '这个价格比较便宜']


def export(model, chars, index, args, path):
    model.eval()
    wrapper = ExportReranker(model).eval()
    # Scores of a few sentences as PyTorch computes them (quantised embeddings, padded batch),
    # stored in the metadata so the runtime's results can be checked against them.
    rows = [encode(t, index) for t in CHECK_TEXTS]
    width = max(len(r) for r in rows)
    check_ids = torch.tensor([r + [PAD] * (width - len(r)) for r in rows], dtype=torch.int32)
    with torch.no_grad():
        check_scores = wrapper(check_ids, torch.tensor([len(r) for r in rows], dtype=torch.int32)).tolist()
    ids = torch.tensor([[BOS, 10, 11, 12, EOS], [BOS, 13, 14, EOS, PAD]], dtype=torch.int32)
    lens = torch.tensor([5, 4], dtype=torch.int32)
    tmp = path + '.tmp'
    torch.onnx.export(wrapper, (ids, lens), tmp, input_names=['ids', 'lens'], output_names=['scores'],
                      dynamic_axes={'ids': {0: 'n', 1: 'len'}, 'lens': {0: 'n'}, 'scores': {0: 'n'}}, opset_version=14)
    import onnx
    m = onnx.load(tmp)
    meta = {
        'format': 'char-sentence-listwise',
        'architecture': args.arch,
        'version': 1,
        'specials': {'pad': PAD, 'unknown': UNK, 'begin': BOS, 'end': EOS},
        'chars': ''.join(chars),
        'scale': float(1.0 / model.log_alpha.exp().item()),
        'candidates': args.k,
        'maxLength': args.max_length,
        'check': {'texts': CHECK_TEXTS, 'scores': check_scores},
    }
    m.metadata_props.add(key='hanzi-ime.reranker', value=json.dumps(meta, ensure_ascii=False))
    onnx.save(m, path)
    os.remove(tmp)
    with torch.no_grad():
        ref = wrapper(ids, lens)
    log(f'exported {path}: {os.path.getsize(path)} bytes; check scores {ref.tolist()}')


def set_scale(path, scale):
    """Stores another weight of the model score (tuned on the dev sets) in an exported model."""
    import onnx
    m = onnx.load(path)
    for p in m.metadata_props:
        if p.key == 'hanzi-ime.reranker':
            meta = json.loads(p.value)
            log(f'scale {meta["scale"]:.4f} -> {scale:.4f}')
            meta['scale'] = scale
            p.value = json.dumps(meta, ensure_ascii=False)
    onnx.save(m, path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--lists', nargs='+')
    ap.add_argument('--set-scale', type=float, help='only store this scale in the model at --out')
    ap.add_argument('--corpus', default='../shared/corpus')
    ap.add_argument('--out', default='models/reranker.onnx')
    ap.add_argument('--work', default='.cache/reranker')
    ap.add_argument('--min-count', type=int, default=2)
    ap.add_argument('--dim', type=int, default=48)
    ap.add_argument('--hidden', type=int, default=48)
    ap.add_argument('--k', type=int, default=10)
    ap.add_argument('--max-length', type=int, default=32)
    ap.add_argument('--epochs', type=float, default=2)
    ap.add_argument('--batch', type=int, default=32)
    ap.add_argument('--lr', type=float, default=0.002)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--max-minutes', type=float, default=60)
    ap.add_argument('--held-out', type=int, default=2000)
    ap.add_argument('--arch', choices=['bigru', 'cnn'], default='bigru')
    ap.add_argument('--init', help='a checkpoint (state dict) to continue training from')
    ap.add_argument('--eval-every', type=int, default=1000)
    args = ap.parse_args()
    if args.set_scale is not None:
        return set_scale(args.out, args.set_scale)
    if not args.lists:
        ap.error('--lists is required')
    random.seed(args.seed)
    torch.manual_seed(args.seed)
    os.makedirs(args.work, exist_ok=True)

    runs = read_corpus(args.corpus)
    chars, index = build_vocab(runs, args.min_count)
    V = len(chars) + SPECIALS
    log(f'vocabulary: {len(chars)} characters from {len(runs)} runs')
    sg_path = os.path.join(args.work, f'ppmi-svd-{args.dim}-{len(chars)}.pt')
    if os.path.exists(sg_path):
        emb = torch.load(sg_path)
    else:
        emb = pretrain_embeddings(runs, index, args.dim, 3)
        torch.save(emb, sg_path)

    lists = load_lists(args.lists, index, args.k)
    lists = [l for l in lists if max(len(c) for c in l[1]) <= args.max_length + 2]
    random.shuffle(lists)
    held = lists[:args.held_out]
    train = lists[args.held_out:]
    model = Reranker(V, args.dim, args.hidden, args.arch)
    with torch.no_grad():
        model.emb.weight.copy_(emb * (1.0 / emb.std().clamp(min=1e-6)) * 0.1)
    if args.init:
        model.load_state_dict(torch.load(args.init))
        log(f'started from {args.init}')
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    steps_total = int(args.epochs * len(train) / args.batch)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: max(0.05, 1 - s / max(1, steps_total)))
    loss0, acc0, base0 = evaluate(model, held, 256)
    log(f'held-out before: loss {loss0:.4f} top-1 {acc0:.4f} (decoder order {base0:.4f}); {len(train)} training lists, {steps_total} steps')
    best = -1.0
    start = time.time()
    step = 0
    # Sort into length buckets so a batch pads little; shuffle the batches.
    while step < steps_total:
        order = sorted(train, key=lambda l: (len(l[1][0]), random.random()))
        batches = [order[i:i + args.batch] for i in range(0, len(order), args.batch)]
        random.shuffle(batches)
        run_loss = 0.0
        for b in batches:
            loss, _, _ = list_loss(model, b)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            run_loss += loss.item()
            step += 1
            if step % args.eval_every == 0:
                l, acc, base = evaluate(model, held, 256)
                log(f'step {step}/{steps_total}: train loss {run_loss / args.eval_every:.4f}; held-out loss {l:.4f} top-1 {acc:.4f} '
                    f'(decoder {base:.4f}) alpha {model.log_alpha.exp().item():.3f}')
                run_loss = 0.0
                if acc > best:
                    best = acc
                    torch.save(model.state_dict(), os.path.join(args.work, 'best.pt'))
            if step >= steps_total or (time.time() - start) / 60 > args.max_minutes:
                break
        if (time.time() - start) / 60 > args.max_minutes:
            log('time limit reached')
            break
    l, acc, base = evaluate(model, held, 256)
    if acc > best:
        torch.save(model.state_dict(), os.path.join(args.work, 'best.pt'))
    model.load_state_dict(torch.load(os.path.join(args.work, 'best.pt')))
    l, acc, base = evaluate(model, held, 256)
    log(f'final held-out: loss {l:.4f} top-1 {acc:.4f} (decoder order {base:.4f})')
    export(model, chars, index, args, args.out)


if __name__ == '__main__':
    main()
