// LAVIS's compute_sim_matrix with several ranks: every rank embeds the whole split, re-ranks a contiguous range of
// the image rows (i2t) and of the text rows (t2i) with ITM, and the ranks' score matrices are all_reduced (summed)
// from matrices filled with -100 elsewhere. Here rank 0 takes each rank's rows as they are: the same ranking (LAVIS's
// sum only shifts every entry by -100·(world - 1)), so the metrics equal one rank's.
import type { RetrievalRows } from "./model.js";

/** Rank `rank`'s rows of `n`: step = n // world + 1, rows [rank·step, min(n, rank·step + step)) (as LAVIS). */
export function rowRange(n: number, r: { readonly rank: number; readonly world: number }): [number, number] {
  const step = Math.floor(n / r.world) + 1;
  const from = Math.min(n, r.rank * step);
  return [from, Math.min(n, from + step)];
}

/**
 * Sends this rank's rows of both score matrices; on rank 0 fills `i2t` and `t2i` with every rank's rows and returns
 * true, elsewhere returns false.
 */
export async function mergeScoreRows(rows: RetrievalRows, i2t: Float32Array[], t2i: Float32Array[]): Promise<boolean> {
  const [i0, i1] = rowRange(i2t.length, rows), [t0, t1] = rowRange(t2i.length, rows);
  const parts = (await rows.merge({ i2t: i2t.slice(i0, i1), t2i: t2i.slice(t0, t1) })) as { i2t: Float32Array[]; t2i: Float32Array[] }[] | null;
  if (!parts) return false;
  parts.forEach((part, rank) => {
    const [iFrom] = rowRange(i2t.length, { rank, world: rows.world }), [tFrom] = rowRange(t2i.length, { rank, world: rows.world });
    part.i2t.forEach((row, k) => (i2t[iFrom + k] = row));
    part.t2i.forEach((row, k) => (t2i[tFrom + k] = row));
  });
  return true;
}
