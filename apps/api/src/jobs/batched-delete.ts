export interface SweepBatches {
  /** Rows per DELETE: short statements that never hold many row locks at once. */
  batchSize: number;
  /** DELETEs per run at most; what is left waits for the next run. */
  maxBatches: number;
}

export const defaultSweepBatches: SweepBatches = { batchSize: 1000, maxBatches: 20 };

/**
 * Runs `deleteBatch(batchSize)` until a batch comes back short or the run's budget is spent, and
 * returns how many rows went. Several instances may sweep at once: a row another sweep deleted first
 * is simply not deleted twice.
 */
export async function deleteInBatches(
  batches: SweepBatches,
  deleteBatch: (batchSize: number) => Promise<number>,
): Promise<number> {
  let deleted = 0;
  for (let batch = 0; batch < batches.maxBatches; batch++) {
    const rows = await deleteBatch(batches.batchSize);
    deleted += rows;
    if (rows < batches.batchSize) break;
  }
  return deleted;
}
