// `npm run bench`: runs every tests/bench/*.bench.ts (each exports `run(): Promise<BenchResult[]>`),
// prints one table and writes bench-results.json at the repo root. Names follow ../shared/DESIGN.md §6.
// `npm run bench -- startup checkout` runs only the files whose names contain those words.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchResult } from './lib';

const dir = import.meta.dirname;
const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !filters.length || filters.some((w) => f.includes(w)))
  .sort();

const results: BenchResult[] = [];
for (const f of files) {
  process.stderr.write(`bench: ${f}\n`);
  const mod = (await import(pathToFileURL(join(dir, f)).href)) as { run(): Promise<BenchResult[]> };
  try {
    results.push(...(await mod.run()));
  } catch (e) {
    process.stderr.write(`bench ${f} failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  }
}

const rows = results.map((r) => [r.name, String(r.value), r.unit, r.baseline === undefined ? '' : String(r.baseline), r.ratio === undefined ? '' : String(r.ratio), r.note ?? '']);
const head = ['name', 'value', 'unit', 'baseline', 'ratio', 'note'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
console.log(line(head));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));
writeFileSync(join(dir, '..', '..', 'bench-results.json'), JSON.stringify(results, null, 2) + '\n');
console.log(`\nwrote bench-results.json (${results.length} results)`);
