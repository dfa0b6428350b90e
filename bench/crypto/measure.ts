/** Timing and table helpers for the crypto benchmark. */

export interface Row {
  readonly operation: string;
  readonly iterations: number;
  readonly totalMs: number;
  /** Bytes processed per iteration, for a throughput column. */
  readonly bytesPerOp?: number;
  /** Items handled per iteration (envelopes, threads), for an items-per-second column. */
  readonly itemsPerOp?: { readonly count: number; readonly unit: string };
}

/** Runs `fn` once to warm up (JIT, wasm memory growth), then `iterations` times under the clock. */
export function measure(
  operation: string,
  iterations: number,
  fn: (i: number) => void,
  extra: Pick<Row, "bytesPerOp" | "itemsPerOp"> = {},
): Row {
  fn(-1);
  const start = performance.now();
  for (let i = 0; i < iterations; i++) fn(i);
  return { operation, iterations, totalMs: performance.now() - start, ...extra };
}

/** The same for asynchronous work (attachment streams). */
export async function measureAsync(
  operation: string,
  iterations: number,
  fn: (i: number) => Promise<void>,
  extra: Pick<Row, "bytesPerOp" | "itemsPerOp"> = {},
): Promise<Row> {
  await fn(-1);
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await fn(i);
  return { operation, iterations, totalMs: performance.now() - start, ...extra };
}

function perOp(ms: number): string {
  if (ms >= 1) return `${ms.toFixed(ms >= 100 ? 0 : 2)} ms`;
  return `${(ms * 1000).toFixed(0)} µs`;
}

function throughput(row: Row): string {
  const seconds = row.totalMs / 1000;
  if (row.bytesPerOp !== undefined) {
    return `${((row.bytesPerOp * row.iterations) / 1_000_000 / seconds).toFixed(1)} MB/s`;
  }
  if (row.itemsPerOp !== undefined) {
    const rate = (row.itemsPerOp.count * row.iterations) / seconds;
    return `${Math.round(rate).toLocaleString("en-US")} ${row.itemsPerOp.unit}/s`;
  }
  return `${(row.iterations / seconds).toFixed(1)} ops/s`;
}

/** A Markdown table of the rows. */
export function markdownTable(rows: readonly Row[]): string {
  const lines = [
    "| operation | iterations | total ms | per op | throughput |",
    "|---|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.operation} | ${r.iterations} | ${r.totalMs.toFixed(0)} | ${perOp(r.totalMs / r.iterations)} | ${throughput(r)} |`,
    ),
  ];
  return lines.join("\n");
}
