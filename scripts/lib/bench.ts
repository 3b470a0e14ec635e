// The side-by-side benchmark every package's bench/ files use: each case runs the anchor (the library a
// user would otherwise pick) and the Keel code in the same process, interleaved, and reports the ratio.
import { do_not_optimize, measure } from "mitata";

/** One benchmarked case: the same job done by the anchor and by Keel. */
export interface BenchCase {
  readonly name: string;
  readonly anchor: { readonly label: string; readonly run: () => unknown };
  readonly keel: { readonly label: string; readonly run: () => unknown };
}

/** What a case measured. Times are mean nanoseconds per call. */
export interface BenchRow {
  readonly name: string;
  readonly anchorLabel: string;
  readonly keelLabel: string;
  readonly anchorNs: number;
  readonly keelNs: number;
  /** Keel's speed relative to the anchor's (the anchor's time over Keel's): above 1 is faster, below 1 slower. */
  readonly speed: number;
}

const cases: BenchCase[] = [];

/** Registers a case; scripts/bench.ts runs every case the imported bench files registered. */
export function compare(benchCase: BenchCase): void {
  cases.push(benchCase);
}

const ROUNDS = 4;

// Each measurement gets a wrapper compiled from fresh source, so no two share JIT feedback (closures
// from one function literal do share it, which skews whichever side runs second).
const freshWrapper = (run: () => unknown): (() => void) =>
  new Function(
    "run",
    "sink",
    // A promise is returned, so mitata measures an async case to its settlement.
    "return function measured() { const result = run(); if (result instanceof Promise) return result.then(sink); sink(result); }",
  )(run, do_not_optimize);

async function meanNs(run: () => unknown): Promise<number> {
  const stats = await measure(freshWrapper(run));
  return stats.avg;
}

/** Runs the registered cases (and forgets them). Each side is measured ROUNDS times, interleaved; best kept. */
export async function runCases(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const benchCase of cases.splice(0)) {
    let anchorNs = Number.POSITIVE_INFINITY;
    let keelNs = Number.POSITIVE_INFINITY;
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which side goes first, so neither always meets a colder or a more polluted JIT.
      if (round % 2 === 0) anchorNs = Math.min(anchorNs, await meanNs(benchCase.anchor.run));
      keelNs = Math.min(keelNs, await meanNs(benchCase.keel.run));
      if (round % 2 === 1) anchorNs = Math.min(anchorNs, await meanNs(benchCase.anchor.run));
    }
    rows.push({
      name: benchCase.name,
      anchorLabel: benchCase.anchor.label,
      keelLabel: benchCase.keel.label,
      anchorNs,
      keelNs,
      speed: anchorNs / keelNs,
    });
  }
  return rows;
}
