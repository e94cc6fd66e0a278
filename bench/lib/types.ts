// The contract between bench/run.ts and each `bench/*.bench.ts` file. A benchmark file exports
// `run(ctx)`; the runner calls them one after another and writes their sections into RESULTS.md.

export interface BenchContext {
  /** Prints a line as the benchmark goes (results arrive slowly; the user should see progress). */
  log(line?: string): void;
  /** One line describing the machine, for the results file. */
  machine: string;
  /** ISO date of this run. */
  date: string;
  /** `--only=a,b` on the command line: run just these scenarios (results are then not saved). */
  only: string[];
}

export interface Target {
  /** What was promised, e.g. "burst: total time ≤ 1.15× min". */
  name: string;
  pass: boolean;
  /** The measured value, as shown in the table. */
  measured: string;
}

export interface BenchResult {
  /** Section heading in RESULTS.md. */
  title: string;
  /** The section body (markdown), without the heading. */
  markdown: string;
  targets: Target[];
}

export type BenchRun = (ctx: BenchContext) => Promise<BenchResult>;
