// The ledger is the one writer of stock moves, outbox rows and print jobs (electron/till/ledger.ts:
// moveStock, enqueueOutbox, enqueuePrint), so members' points, stored value, online orders and pickups
// write them the same way sales and returns do. This reads every source file under electron/ and
// fails on any other INSERT / UPDATE / DELETE of stock_moves, outbox or print_jobs, in raw SQL or
// through drizzle (.insert / .update / .delete of stockMoves, outbox, printJobs, or inserter()).
// Migrations (and their triggers) are outside electron/ and not read.
//
// The exceptions, and exactly what they need: the consumers of these rows record how far they got,
// never what the row says. Printing a job changes its progress: the print queue
// (electron/devices/print-queue.ts: claim, printed, failed, requeue, cancel, the early drawer pulse)
// and the printer status (electron/devices/printer-status.ts: why a job waits) UPDATE print_jobs,
// setting only the progress columns below; never the job's kind, printer, reference or payload (a
// reprint is a new job, through the ledger). Sending the outbox marks a row sent: the sync relay
// (electron/sync/relay-store.ts) UPDATEs outbox delivery columns only, never topic or payload.
// Neither may INSERT or DELETE.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..', '..');
const LEDGER = 'electron/till/ledger.ts';

/** The ledger's tables: SQL name → the schema.ts export drizzle code uses. */
const TABLES = { stock_moves: 'stockMoves', outbox: 'outbox', print_jobs: 'printJobs' } as const;
type Table = keyof typeof TABLES;

/** Who may update which ledger table besides the ledger, and which columns (SQL names). */
const PROGRESS_COLUMNS = ['status', 'wait_reason', 'attempts', 'printed_at', 'drawer_opened_at'];
const DELIVERY_COLUMNS = ['sent_at', 'attempts', 'next_attempt_at', 'last_error'];
const ALLOWED_UPDATES: { file: string; table: Table; columns: string[] }[] = [
  { file: 'electron/devices/print-queue.ts', table: 'print_jobs', columns: PROGRESS_COLUMNS },
  { file: 'electron/devices/printer-status.ts', table: 'print_jobs', columns: PROGRESS_COLUMNS },
  { file: 'electron/sync/relay-store.ts', table: 'outbox', columns: DELIVERY_COLUMNS },
];

/** drizzle's key for a column (printedAt) as its SQL name (printed_at). */
const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

interface Write {
  file: string;
  line: number;
  table: Table;
  op: 'insert' | 'update' | 'delete';
  /** For an update: the columns it sets (SQL names); null when they could not be read. */
  columns: string[] | null;
  text: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sourceFiles(p);
    return /\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(e.name) ? [p] : [];
  });
}

/** Comments out of the way (they name the tables in prose); strings and code stay. */
const stripComments = (src: string) =>
  src.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');

/** The text of the balanced {...} starting at `open`. */
function braces(src: string, open: number): string | null {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    if (src[i] === '{') depth++;
    else if (src[i] === '}' && --depth === 0) return src.slice(open + 1, i);
  }
  return null;
}

/** The top-level keys of an object literal's body (`a: 1, b, c: f(x, y)`). */
function keysOf(body: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let start = 0;
  const entry = (s: string) => {
    const m = /^\s*(?:\.\.\.)?([A-Za-z_$][\w$]*)/.exec(s);
    if (m && s.trim()) keys.push(s.trim().startsWith('...') ? '...' : m[1]);
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if ('({['.includes(c)) depth++;
    else if (')}]'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      entry(body.slice(start, i));
      start = i + 1;
    }
  }
  entry(body.slice(start));
  return keys;
}

/** Every write of a ledger table in one file's source. */
function ledgerWrites(file: string, source: string): Write[] {
  const src = stripComments(source);
  const out: Write[] = [];
  const lineOf = (i: number) => src.slice(0, i).split('\n').length;
  const tableOfExport = Object.fromEntries(Object.entries(TABLES).map(([t, e]) => [e, t as Table]));
  const add = (i: number, table: Table, op: Write['op'], columns: string[] | null, len: number) =>
    out.push({ file, line: lineOf(i), table, op, columns, text: src.slice(i, i + len).replace(/\s+/g, ' ') });

  // Raw SQL, in any string: INSERT [OR …] INTO, REPLACE INTO, UPDATE [OR …], DELETE FROM.
  const raw = /\b(INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+["'`[]?(stock_moves|outbox|print_jobs)\b/gi;
  for (const m of src.matchAll(raw)) {
    const verb = m[1].toUpperCase();
    const op = verb.startsWith('UPDATE') ? 'update' : verb.startsWith('DELETE') ? 'delete' : 'insert';
    let columns: string[] | null = null;
    if (op === 'update') {
      // SET a = ?, b = NULL … up to WHERE or the end of the string; an entry that is not `name =` reads as '?'.
      const set = /^\s*["'`\]]?\s+SET\s+([\s\S]*?)(?=\bWHERE\b|[`'"]|$)/i.exec(src.slice(m.index + m[0].length));
      columns = set ? set[1].split(',').map((x) => /^\s*"?([a-z_]\w*)"?\s*=/i.exec(x)?.[1].toLowerCase() ?? '?') : null;
    }
    add(m.index, m[2].toLowerCase() as Table, op, columns, m[0].length);
  }
  // drizzle: db.insert(printJobs) / .update(outbox) / .delete(stockMoves), and inserter(db, table, …).
  const names = Object.values(TABLES).join('|');
  for (const m of src.matchAll(new RegExp(`\\.(insert|update|delete)\\(\\s*(?:schema\\.)?(${names})\\s*\\)`, 'g'))) {
    let columns: string[] | null = null;
    if (m[1] === 'update') {
      const set = /^\s*\.set\(\s*\{/.exec(src.slice(m.index + m[0].length));
      const body = set ? braces(src, m.index + m[0].length + set[0].length - 1) : null;
      columns = body === null ? null : keysOf(body).map((k) => (k === '...' ? k : snake(k)));
    }
    add(m.index, tableOfExport[m[2]], m[1] as Write['op'], columns, m[0].length + 60);
  }
  for (const m of src.matchAll(new RegExp(`\\binserter\\(\\s*[^,]+,\\s*(?:schema\\.)?(${names})\\b`, 'g'))) {
    add(m.index, tableOfExport[m[1]], 'insert', null, m[0].length);
  }
  // A table imported under another name would hide its writes from the patterns above.
  for (const m of src.matchAll(new RegExp(`\\b(${names})\\s+as\\s+[A-Za-z_$]`, 'g'))) {
    add(m.index, tableOfExport[m[1]], 'insert', null, m[0].length);
  }
  return out;
}

const allowed = (w: Write) =>
  w.op === 'update' &&
  w.columns !== null &&
  !w.columns.includes('...') &&
  ALLOWED_UPDATES.some((a) => a.file === w.file && a.table === w.table && w.columns!.every((c) => a.columns.includes(c)));

describe('only the ledger writes stock moves, outbox rows and print jobs', () => {
  const files = sourceFiles(join(root, 'electron')).map((p) => ({ file: relative(root, p).split('\\').join('/'), source: readFileSync(p, 'utf8') }));

  it('finds no other writer under electron/', () => {
    expect(files.some((f) => f.file === LEDGER)).toBe(true);
    const offending = files
      .filter((f) => f.file !== LEDGER)
      .flatMap((f) => ledgerWrites(f.file, f.source))
      .filter((w) => !allowed(w))
      .map((w) => `${w.file}:${w.line} ${w.op} ${w.table}${w.columns ? ` set(${w.columns.join(', ')})` : ''}: ${w.text}`);
    expect(offending, 'write through electron/till/ledger.ts (moveStock, enqueueOutbox, enqueuePrint)').toEqual([]);
  });

  it('the ledger itself writes all three tables (the patterns still see its writes)', () => {
    const ledger = files.find((f) => f.file === LEDGER)!;
    const tables = new Set(ledgerWrites(LEDGER, ledger.source).filter((w) => w.op === 'insert').map((w) => w.table));
    expect([...tables].sort()).toEqual(['outbox', 'print_jobs', 'stock_moves']);
  });

  it('the allowed updates are seen, and set only progress or delivery columns', () => {
    expect(files.some((f) => f.file === 'electron/devices/print-queue.ts')).toBe(true);
    for (const a of ALLOWED_UPDATES) {
      const f = files.find((x) => x.file === a.file);
      if (!f) continue; // not there (yet): nothing to allow
      const writes = ledgerWrites(a.file, f!.source);
      expect(writes.length, a.file).toBeGreaterThan(0);
      expect(writes.filter((w) => !allowed(w)), a.file).toEqual([]);
    }
  });

  it('recognises the writes it is there to refuse', () => {
    const found = (src: string, file = 'electron/till/x.ts') => ledgerWrites(file, src).map((w) => `${w.op} ${w.table}`);
    expect(found("till.stmt(`INSERT INTO print_jobs (id, kind) VALUES (?, 'sale')`)")).toEqual(['insert print_jobs']);
    expect(found("sqlite.prepare('insert or ignore into \"outbox\" (id) values (?)')")).toEqual(['insert outbox']);
    expect(found('db.prepare(`UPDATE skus SET stock_qty = 0`); db.prepare(`DELETE FROM stock_moves WHERE id = ?`)')).toEqual(['delete stock_moves']);
    expect(found('till.db.insert(stockMoves).values(row).run()')).toEqual(['insert stock_moves']);
    expect(found('db\n  .delete(printJobs)\n  .where(eq(printJobs.id, id))')).toEqual(['delete print_jobs']);
    expect(found("const w = inserter(db, outbox, ['id', 'topic'])")).toEqual(['insert outbox']);
    expect(found("import { printJobs as jobs } from './schema'")).toEqual(['insert print_jobs']);
    expect(found('// a comment about INSERT INTO print_jobs\nconst x = 1;')).toEqual([]);
    // An update by the print queue: allowed for progress columns only.
    const update = (set: string) => ledgerWrites('electron/devices/print-queue.ts', `db.update(printJobs).set(${set}).where(x)`)[0];
    expect(allowed(update('{ status, waitReason: argSql(\'reason\') }'))).toBe(true);
    expect(allowed(update("{ status: 'printed', printedAt: argSql<number>('at'), waitReason: null }"))).toBe(true);
    expect(allowed(update('{ payload: argSql(\'p\') }'))).toBe(false);
    expect(allowed(update('{ ...changes }'))).toBe(false);
    expect(allowed(ledgerWrites('electron/till/sales.ts', "db.update(printJobs).set({ status: 'cancelled' })")[0])).toBe(false);
    expect(allowed(ledgerWrites('electron/devices/print-queue.ts', 'db.delete(printJobs).where(x)')[0])).toBe(false);
    // The sync relay marks outbox rows sent, in raw SQL: delivery columns only.
    const relay = (sql: string) => ledgerWrites('electron/sync/relay-store.ts', `db.$client.prepare(\`${sql}\`)`)[0];
    expect(relay('UPDATE outbox SET sent_at = ? WHERE id = ? AND sent_at IS NULL').columns).toEqual(['sent_at']);
    expect(allowed(relay('UPDATE outbox SET sent_at = ? WHERE id = ? AND sent_at IS NULL'))).toBe(true);
    expect(allowed(relay('UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?'))).toBe(true);
    expect(allowed(relay('UPDATE outbox SET payload = ? WHERE id = ?'))).toBe(false);
    expect(allowed(relay('UPDATE outbox SET sent_at = ?, topic = ? WHERE id = ?'))).toBe(false);
    expect(allowed(relay('DELETE FROM outbox WHERE sent_at IS NOT NULL'))).toBe(false);
    expect(allowed(ledgerWrites('electron/till/x.ts', 'db.$client.prepare(`UPDATE outbox SET sent_at = ? WHERE id = ?`)')[0])).toBe(false);
  });
});
