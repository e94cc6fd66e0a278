// `npm run bench [-- <name filter>…] [--only=scenario,…]`: runs every bench/*.bench.ts in turn
// (each exports `run(ctx)`), prints its tables, and writes its section into bench/RESULTS.md.
// Sections are delimited by markers, so running one benchmark updates only its own section.

import { readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import os from 'node:os';
import { passFail } from './lib/format';
import type { BenchContext, BenchResult, BenchRun } from './lib/types';

const here = dirname(fileURLToPath(import.meta.url));
const resultsPath = join(here, 'RESULTS.md');

const args = process.argv.slice(2);
const only = args.filter((a) => a.startsWith('--only=')).flatMap((a) => a.slice('--only='.length).split(',')).filter(Boolean);
const nameFilters = args.filter((a) => !a.startsWith('--'));

function machine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  // The load average says how much else was running: timings on a shared machine move with it.
  const load = os.loadavg()[0]?.toFixed(2) ?? '?';
  return `${model}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()} (${os.arch()}), Node ${process.version}, load average ${load} at start`;
}

function section(name: string, result: BenchResult, ctx: BenchContext): string {
  return [
    `<!-- bench:${name} start -->`,
    `## ${result.title}`,
    '',
    `Run ${ctx.date} on ${ctx.machine}. Produced by \`npm run bench\` (bench/${name}.bench.ts).`,
    '',
    result.markdown,
    `<!-- bench:${name} end -->`,
  ].join('\n');
}

async function saveSection(name: string, text: string): Promise<void> {
  let current = '# Benchmark results\n\nWritten by `npm run bench`; each section is replaced when its benchmark runs again.\n';
  try {
    current = await readFile(resultsPath, 'utf8');
  } catch {
    // First run.
  }
  const pattern = new RegExp(`<!-- bench:${name} start -->[\\s\\S]*?<!-- bench:${name} end -->`);
  const next = pattern.test(current) ? current.replace(pattern, () => text) : `${current.trimEnd()}\n\n${text}\n`;
  await writeFile(resultsPath, next);
}

const files = (await readdir(here))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => nameFilters.length === 0 || nameFilters.some((n) => f.includes(n)))
  .sort();
if (files.length === 0) {
  console.error(`No benchmark matches ${nameFilters.join(', ')}.`);
  process.exit(1);
}

const ctx: BenchContext = {
  log: (line = '') => console.log(line),
  machine: machine(),
  date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
  only,
};
console.log(`Machine: ${ctx.machine}\nDate: ${ctx.date}\n`);

let misses = 0;
const crashed: string[] = [];
for (const file of files) {
  const name = basename(file, '.bench.ts');
  console.log(`# ${file}\n`);
  const started = performance.now();
  let result: BenchResult;
  try {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as { run?: BenchRun };
    if (typeof mod.run !== 'function') throw new Error(`${file} does not export run(ctx)`);
    result = await mod.run(ctx);
  } catch (error) {
    // One broken benchmark must not cost the others their results.
    console.error(`${file} failed:`, error);
    crashed.push(file);
    continue;
  }
  console.log(`## ${result.title}: targets\n`);
  for (const t of result.targets) console.log(`${passFail(t.pass)}  ${t.name}: ${t.measured}`);
  misses += result.targets.filter((t) => !t.pass).length;
  console.log(`\n(${file} took ${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
  if (only.length === 0) await saveSection(name, section(name, result, ctx));
  else console.log('(--only: results not written to RESULTS.md)\n');
}
console.log(misses === 0 ? 'All targets met.' : `${misses} target(s) missed.`);
if (crashed.length > 0) console.log(`Crashed (no results written): ${crashed.join(', ')}`);
// Benchmarks report, they do not gate: a missed target is in the table, not the exit code. Exit
// explicitly: a peer's un-abortable retry sleep may still hold a timer.
process.exit(crashed.length > 0 ? 1 : 0);
