// Spreadsheet exports (导出报表): a report or the raw sales lines to xlsx (exceljs's streaming
// WorkbookWriter) or csv (UTF-8 with a BOM, so Excel and WPS read the Chinese right). Runs in the
// reports worker on its own read-only connection, in one read transaction (the file is one
// consistent picture while the till keeps selling).
//
// Memory: exceljs's streaming writer turns each committed row into XML and hands it to the zip
// stream at once, but nothing stops it when the zip (deflate) falls behind, so a tight loop of
// 1,000,000 rows keeps most of the XML in memory (≈ 500 MB). Every few hundred rows we wait for the
// sheet's zip entry to drain below a small mark before reading more from SQLite.
// Speed: exceljs builds a row model, a cell model per cell, a style lookup per cell and an XML
// builder per row; for the data rows that was ~26 of the ~33 CPU seconds of a 1,000,000-row export
// (a --cpu-prof of 100,000 rows). So the data rows' XML (numbers, dates as serials, strings as
// t="str", the column's number format as s="n": what exceljs writes for them) is written here in
// 256 KB pieces into the sheet's own stream; exceljs still writes the package, styles, sheets,
// columns, the header, totals and footer rows, and zips it all. A million rows: ~12 CPU s (was ~33)
// under a load of 15 on 2 cores, peak ~200 MB (tests/bench/reports.bench.ts, xlsx_export_1m_*).
// What is left is about a third each: reading SQLite, building the rows' XML, and exceljs's zip
// (archiver: deflate level 1 on the thread pool, crc32 in JS, the copies between its streams).
//
// Files go to <data dir>/exports as <name>.partial and are renamed when complete, so a cancelled or
// failed export never leaves a file that looks finished. (Electron: a save dialog can later offer
// another folder; the browser host has none.)
import type Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { createWriteStream, renameSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { columnsOf, REPORT_NOTES, titleOf, type ColumnDef, type ExportKind, type ReportRow, type ReportValue } from '../../../shared/reports/defs';
import { buildReport, checkCancel, skuUnion, type BuiltReport, type JobContext } from './queries';

export interface ExportSpec {
  kind: ExportKind;
  format: 'xlsx' | 'csv';
  from: string;
  to: string;
  top?: number;
  /** The finished file's path (written as `${file}.partial` first). */
  file: string;
  /** Data rows per worksheet before a new one starts (Excel's limit less the header row). */
  rowsPerSheet?: number;
}
export interface ExportResult {
  file: string;
  rows: number;
  bytes: number;
  sheets: number;
}

/** Excel's row limit is 1,048,576; one row of each sheet is the header. */
export const XLSX_ROWS_PER_SHEET = 1_048_576 - 1;
const PROGRESS_EVERY = 5_000;
const DRAIN_CHECK_EVERY = 256;
/** Bytes of row XML gathered before they go to the sheet's stream in one write. */
const XML_CHUNK = 256 * 1024;
/** Bytes of sheet XML allowed to wait for the zip before we stop and let it catch up. */
const HIGH_WATER = 1 << 20;

type Raw = ReportValue;

// ---------------------------------------------------------------------------------------------
// Values

// Cell text for the data rows written as XML (xlsxWriter): the same numbers as xlsxValue, printed
// from the integers (a double's shortest text costs 5–10x more, and these are millions of cells).
const TWO = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
/** fen → yuan: 1230 → '12.30', -5 → '-0.05'. */
function fenText(n: number): string {
  const a = n < 0 ? -n : n;
  const q = Math.floor(a / 100);
  const f = a - q * 100;
  return `${n < 0 ? '-' : ''}${q}${f ? `.${TWO[f]}` : ''}`;
}
/** Thousandths → units: 1500 → '1.500'. */
function thousandthsText(n: number): string {
  const a = n < 0 ? -n : n;
  const q = Math.floor(a / 1000);
  const f = a - q * 1000;
  return `${n < 0 ? '-' : ''}${q}${f ? `.${String(f).padStart(3, '0')}` : ''}`;
}
/**
 * A local time's serial text with 9 decimals (86 µs; Excel shows seconds). The time zone's offset is
 * looked up once per quarter hour (no zone changes its offset in between).
 */
function timeSerialText(): (ms: number) => string {
  let slot = NaN;
  let offsetMs = 0;
  return (ms) => {
    const q = Math.floor(ms / 900_000);
    if (q !== slot) {
      slot = q;
      offsetMs = new Date(ms).getTimezoneOffset() * 60_000;
    }
    const local = ms - offsetMs;
    const days = Math.floor(local / 86_400_000);
    const frac = Math.round(((local - days * 86_400_000) * 1e9) / 86_400_000);
    return `${days + 25_569}.${String(frac).padStart(9, '0')}`;
  };
}
/** Per column: the XML number text of a value, or null when the value is not a number of its kind (then xlsxValue decides). */
export function numberTexts(columns: ColumnDef[]): ((v: Raw) => string | null)[] {
  return columns.map((c) => {
    switch (c.type) {
      case 'fen':
        return (v) => (typeof v === 'number' && Number.isInteger(v) ? fenText(v) : null);
      case 'qty':
        return (v) => (typeof v === 'number' && Number.isInteger(v) ? thousandthsText(v) : null);
      case 'time': {
        const text = timeSerialText();
        return (v) => (typeof v === 'number' ? text(v) : null);
      }
      case 'day': {
        let last = '';
        let lastText = '';
        return (v) => {
          if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return null;
          if (v !== last) {
            last = v;
            lastText = String(serialOfDay(v));
          }
          return lastText;
        };
      }
      default:
        return () => null;
    }
  });
}

/** Excel's serial day number of a local calendar date or time (Excel has no time zones). */
function excelSerialLocal(ms: number): number {
  const offsetMs = new Date(ms).getTimezoneOffset() * 60_000;
  return (ms - offsetMs) / 86_400_000 + 25_569;
}
const serialOfDay = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 86_400_000 + 25_569;

/** A cell value for xlsx: money as yuan numbers, quantities in units, dates as serials. */
function xlsxValue(type: ColumnDef['type'], v: Raw): string | number | null {
  if (v === null || v === undefined || v === '') return null;
  switch (type) {
    case 'fen':
      return typeof v === 'number' ? v / 100 : v;
    case 'qty':
      return typeof v === 'number' ? v / 1000 : v;
    case 'day':
      return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? serialOfDay(v) : v;
    case 'time':
      return typeof v === 'number' ? excelSerialLocal(v) : v;
    default:
      return v;
  }
}

const NUM_FMT: Partial<Record<ColumnDef['type'], string>> = {
  fen: '#,##0.00',
  int: '0',
  pct: '0.0',
  ratio: '0.00',
  day: 'yyyy-mm-dd',
  time: 'yyyy-mm-dd hh:mm:ss',
};

/** Exact decimal text of an integer in 1/10^places units: fen → '12.30', thousandths → '1.234'. */
export function decimalText(n: number, places: 2 | 3, trim: boolean): string {
  const neg = n < 0;
  const a = Math.abs(n);
  const unit = places === 2 ? 100 : 1000;
  let frac = String(a % unit).padStart(places, '0');
  if (trim) frac = frac.replace(/0+$/, '');
  return `${neg ? '-' : ''}${Math.floor(a / unit)}${frac ? `.${frac}` : ''}`;
}

const pad = (n: number) => String(n).padStart(2, '0');
export function localTimeText(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A csv field (RFC 4180 quoting); text that a spreadsheet would run as a formula gets a leading '. */
function csvField(type: ColumnDef['type'], v: Raw): string {
  if (v === null || v === undefined) return '';
  let s: string;
  if (typeof v === 'number') {
    if (type === 'fen') s = decimalText(v, 2, false);
    else if (type === 'qty') s = decimalText(v, 3, true);
    else if (type === 'time') s = localTimeText(v);
    else s = String(v);
  } else {
    s = type === 'text' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  }
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Text for XML character data, as exceljs encodes it (markup escaped, control characters XML cannot hold dropped). */
const XML_SPECIAL = /[&<>"'\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;
export function xmlText(s: string): string {
  if (!XML_SPECIAL.test(s)) return s;
  return s.replace(/[&<>"'\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : c === "'" ? '&apos;' : '',
  );
}

/** A column's letters: 0 → A, 25 → Z, 26 → AA. */
function columnLetters(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

// ---------------------------------------------------------------------------------------------
// Writers

interface SheetWriter {
  /** Writes one data row (values in column order); resolves when it is safe to write more. */
  row(values: Raw[]): void | Promise<void>;
  /** The totals row (bold), values in column order like a data row. */
  totals(values: Raw[]): void;
  /** Lines under the table (figures, notes): free cells, the first one bold. */
  footer(rows: Raw[][]): void;
  finish(): Promise<{ sheets: number }>;
  abort(): Promise<void>;
}

function columnWidth(c: ColumnDef): number {
  if (c.key === 'name') return 32;
  if (c.type === 'time') return 20;
  if (c.key === 'receiptNo') return 20;
  return Math.max(10, [...c.zh].reduce((w, ch) => w + (ch.charCodeAt(0) > 0xff ? 2 : 1), 0) + 2);
}

/** The parts of exceljs's streaming worksheet the data rows are written around (exceljs 4.4). */
interface SheetInternals {
  /** The sheet's XML stream (a StreamBuf piped into its zip entry). */
  stream: { write(data: Buffer): unknown; pipes?: { _writableState?: { length: number } }[] };
  /** The next row number exceljs will give out. */
  _rowZero: number;
  /** Rows added and not yet written. */
  _rows: unknown[];
  /** True once the columns and <sheetData> are written (after the header row). */
  startedData: boolean;
}
interface StylesInternals {
  addStyleModel(style: object, cellType?: number): number;
}

function xlsxWriter(path: string, title: string, columns: ColumnDef[], rowsPerSheet: number): SheetWriter {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false, zip: { zlib: { level: 1 } } });
  wb.creator = '小店收银';
  const styles = columns.map((c) => (NUM_FMT[c.type] ? { numFmt: NUM_FMT[c.type] } : {}));
  // Each number format's style index, as exceljs gives it to the column (the same object: one entry).
  const wbStyles = (wb as unknown as { styles: StylesInternals }).styles;
  const cellOpen = columns.map((c, i) => {
    const s = NUM_FMT[c.type] ? wbStyles.addStyleModel(styles[i], 2 /* number */) : 0;
    return { letters: `<c r="${columnLetters(i)}`, style: s ? ` s="${s}"` : '' };
  });
  const numberText = numberTexts(columns);
  const bold = { font: { bold: true } };
  let sheet: ExcelJS.Worksheet | null = null;
  let raw: SheetInternals | null = null;
  let sheets = 0;
  let inSheet = 0;
  let sinceCheck = 0;
  // Row XML waiting to be written, encoded row by row into a buffer (joining thousands of row
  // strings and encoding the result cost 4x more CPU than the rows themselves, by a measurement).
  let buf = Buffer.allocUnsafe(XML_CHUNK);
  let pos = 0;

  /** Hands the gathered row XML to the sheet's stream (before exceljs writes anything after it). */
  const flush = () => {
    if (pos) raw!.stream.write(buf.subarray(0, pos));
    buf = Buffer.allocUnsafe(XML_CHUNK); // the stream may keep the old one
    pos = 0;
  };
  const append = (x: string) => {
    if (pos + x.length * 3 > buf.length) {
      flush();
      if (x.length * 3 > buf.length) {
        raw!.stream.write(Buffer.from(x));
        return;
      }
    }
    pos += buf.write(x, pos);
  };
  const newSheet = () => {
    if (sheet) {
      flush();
      sheet.commit();
    }
    sheets++;
    sheet = wb.addWorksheet(sheets === 1 ? title : `${title} (${sheets})`, { views: [{ state: 'frozen', ySplit: 1 }] });
    raw = sheet as unknown as SheetInternals;
    sheet.columns = columns.map((c, i) => ({ header: c.zh, key: c.key, width: columnWidth(c), style: styles[i] }));
    const head = sheet.getRow(1);
    head.font = { bold: true };
    head.commit();
    if (!raw.startedData || raw._rows.length || raw._rowZero !== 2) throw new Error('exceljs worksheet writer is not as expected (data rows are written into its stream)');
    inSheet = 0;
  };
  /** A row through exceljs (totals, footer): it numbers it after the rows written here. */
  const put = (values: (string | number | null)[], rowStyle?: object): ExcelJS.Row => {
    flush();
    const row = sheet!.addRow(values);
    for (let i = 0; i < columns.length; i++) row.getCell(i + 1).style = rowStyle ? { ...styles[i], ...rowStyle } : styles[i];
    row.commit();
    return row;
  };
  /** One data row's XML, numbered as exceljs would number it. */
  const dataRow = (values: Raw[]) => {
    const r = raw!._rowZero++;
    let x = `<row r="${r}">`;
    for (let i = 0; i < columns.length; i++) {
      const c = cellOpen[i];
      const n = numberText[i](values[i]);
      if (n !== null) {
        x += `${c.letters}${r}"${c.style}><v>${n}</v></c>`;
        continue;
      }
      const v = xlsxValue(columns[i].type, values[i]);
      if (v === null) continue;
      x += typeof v === 'number' ? `${c.letters}${r}"${c.style}><v>${v}</v></c>` : `${c.letters}${r}"${c.style} t="str"><v>${xmlText(v)}</v></c>`;
    }
    append(x + '</row>');
  };
  /** The sheet's zip entry stream: a readable-stream PassThrough whose buffer grows when deflate lags. */
  const backlog = (): { length: number; stream: NodeJS.EventEmitter } | null => {
    const entry = raw?.stream.pipes?.[0];
    return entry?._writableState ? { length: entry._writableState.length, stream: entry as unknown as NodeJS.EventEmitter } : null;
  };
  newSheet();
  return {
    row(values) {
      if (inSheet >= rowsPerSheet) newSheet();
      dataRow(values);
      inSheet++;
      if (++sinceCheck >= DRAIN_CHECK_EVERY) {
        sinceCheck = 0;
        const b = backlog();
        if (b && b.length > HIGH_WATER) {
          flush();
          return once(b.stream, 'drain').then(() => undefined);
        }
      }
    },
    totals(values) {
      put(values.map((v, i) => xlsxValue(columns[i].type, v)), bold);
    },
    footer(rows) {
      flush();
      sheet!.addRow([]).commit();
      for (const r of rows) {
        const row = sheet!.addRow(r.map((v) => v ?? null));
        row.getCell(1).font = bold.font;
        row.commit();
      }
    },
    async finish() {
      flush();
      sheet!.commit();
      await wb.commit();
      return { sheets };
    },
    async abort() {
      try {
        flush();
        sheet?.commit();
        await wb.commit();
      } catch {
        // the partial file is deleted anyway
      }
    },
  };
}

function csvWriter(path: string, columns: ColumnDef[]): SheetWriter {
  const out: WriteStream = createWriteStream(path);
  let chunk = '\uFEFF' + columns.map((c) => csvField('text', c.zh)).join(',') + '\r\n';
  const flush = (): Promise<void> | void => {
    const ok = out.write(chunk);
    chunk = '';
    if (!ok) return once(out, 'drain').then(() => undefined);
  };
  const end = () => new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return {
    row(values) {
      chunk += values.map((v, i) => csvField(columns[i].type, v)).join(',') + '\r\n';
      if (chunk.length > 64 * 1024) return flush();
    },
    totals(values) {
      chunk += values.map((v, i) => csvField(columns[i].type, v)).join(',') + '\r\n';
    },
    footer(rows) {
      chunk += '\r\n';
      for (const r of rows) chunk += r.map((v) => csvField('text', typeof v === 'number' ? String(v) : v)).join(',') + '\r\n';
    },
    async finish() {
      await flush();
      await end();
      return { sheets: 1 };
    },
    async abort() {
      await end().catch(() => undefined);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Sources

/**
 * The raw lines of a range in the order of the sales_day index (day, then the sale's rowid); a
 * sale's lines come through the sale_lines_sale index in rowid order, which is their line order (a
 * sale's lines are inserted in one go, line 1 first) — so nothing is sorted. Names of cashiers,
 * members and items are looked up in maps read before (only the SKUs and members of the range), not
 * joined per line: seven primary-key searches per line were a third of the export's time.
 */
const LINES_SQL = `SELECT s.business_day, s.created_at, s.receipt_no, s.kind, s.user_id, s.member_id, l.sku_id, l.name, l.qty,
    l.unit_price_fen, l.gross_fen, l.discount_fen, l.payable_fen
  FROM sales s INDEXED BY sales_day JOIN sale_lines l ON l.sale_id = s.id
  WHERE s.business_day BETWEEN ? AND ?
  ORDER BY s.business_day, s.rowid`;

function lineNames(db: Database.Database, from: string, to: string) {
  const users = new Map((db.prepare('SELECT id, name FROM users').all() as { id: string; name: string }[]).map((u) => [u.id, u.name]));
  const members = new Map(
    (db
      .prepare(`SELECT id, name FROM members WHERE id IN (SELECT member_id FROM rpt_member WHERE business_day BETWEEN ? AND ?)`)
      .all(from, to) as { id: string; name: string }[]).map((m) => [m.id, m.name]),
  );
  const u = skuUnion(from, to);
  const skus = new Map(
    (db
      .prepare(
        `SELECT k.id, k.code, un.name AS unit, c.name AS category FROM skus k JOIN units un ON un.id = k.unit_id
           LEFT JOIN products p ON p.id = k.product_id LEFT JOIN categories c ON c.id = p.category_id
         WHERE k.id IN (SELECT sku_id FROM (${u.sql || "SELECT NULL AS sku_id"}))`,
      )
      .all(...u.params) as { id: string; code: string; unit: string; category: string | null }[]).map((k) => [k.id, k]),
  );
  return { users, members, skus };
}

/** Line rows in LINE_COLUMNS order. */
async function writeLines(db: Database.Database, spec: ExportSpec, writer: SheetWriter, ctx: JobContext): Promise<number> {
  const total = (db.prepare(`SELECT coalesce(sum(line_count), 0) AS n FROM rpt_category WHERE business_day BETWEEN ? AND ?`).get(spec.from, spec.to) as { n: number }).n;
  ctx.progress(0, total);
  const names = lineNames(db, spec.from, spec.to);
  const it = db.prepare(LINES_SQL).raw(true).iterate(spec.from, spec.to) as IterableIterator<
    [string, number, string, string, string, string | null, string, string, number, number, number, number, number]
  >;
  let rows = 0;
  try {
    for (const [day, at, receiptNo, kind, userId, memberId, skuId, name, qty, unitPrice, gross, discount, payable] of it) {
      const sku = names.skus.get(skuId);
      const wait = writer.row([
        day, at, receiptNo, kind === 'return' ? '退货' : '销售', names.users.get(userId) ?? '', memberId ? (names.members.get(memberId) ?? '') : '',
        sku?.code ?? '', name, sku?.category ?? '', qty, sku?.unit ?? '', unitPrice, gross, discount, payable,
      ]);
      if (wait) await wait;
      if (++rows % PROGRESS_EVERY === 0) {
        checkCancel(ctx);
        ctx.progress(rows, Math.max(total, rows));
      }
    }
  } finally {
    it.return?.();
  }
  return rows;
}

function reportFooter(kind: ExportKind, spec: ExportSpec, built: BuiltReport | null): Raw[][] {
  const out: Raw[][] = [];
  for (const f of built?.figures ?? []) out.push([f.zh, f.value === null ? '—' : f.type === 'fen' && typeof f.value === 'number' ? decimalText(f.value, 2, false) : f.value]);
  out.push([`${titleOf(kind).zh}：${spec.from} 至 ${spec.to}`]);
  out.push([`导出时间：${localTimeText(Date.now())}`]);
  for (const n of built?.notes ?? []) out.push([REPORT_NOTES[n].zh.replace('{{n}}', '')]);
  return out;
}

/**
 * Writes the export. Resolves with the finished file, or rejects (JobCancelled when cancelled) after
 * removing the partial file.
 */
export async function runExport(openReadonly: () => Database.Database, spec: ExportSpec, ctx: JobContext): Promise<ExportResult> {
  const columns = columnsOf(spec.kind);
  const partial = `${spec.file}.partial`;
  const db = openReadonly();
  let writer: SheetWriter | null = null;
  let rows = 0;
  try {
    db.exec('BEGIN'); // one snapshot for the whole file
    writer = spec.format === 'xlsx'
      ? xlsxWriter(partial, titleOf(spec.kind).zh, columns, spec.rowsPerSheet ?? XLSX_ROWS_PER_SHEET)
      : csvWriter(partial, columns);
    let built: BuiltReport | null = null;
    if (spec.kind === 'lines') {
      rows = await writeLines(db, spec, writer, ctx);
    } else {
      built = buildReport(db, { kind: spec.kind, from: spec.from, to: spec.to, top: spec.top });
      ctx.progress(0, built.rows.length);
      for (const r of built.rows) {
        const wait = writer.row(columns.map((c) => (r as ReportRow)[c.key] ?? null));
        if (wait) await wait;
        if (++rows % PROGRESS_EVERY === 0) {
          checkCancel(ctx);
          ctx.progress(rows, built.rows.length);
        }
      }
    }
    checkCancel(ctx);
    if (built?.totals) writer.totals(columns.map((c, i) => (i === 0 ? '合计' : (built!.totals![c.key] ?? null))));
    writer.footer(reportFooter(spec.kind, spec, built));
    const { sheets } = await writer.finish();
    writer = null;
    db.exec('COMMIT');
    renameSync(partial, spec.file);
    ctx.progress(rows, rows);
    return { file: spec.file, rows, bytes: statSync(spec.file).size, sheets };
  } catch (e) {
    await writer?.abort();
    rmSync(partial, { force: true });
    throw e;
  } finally {
    db.close();
  }
}
