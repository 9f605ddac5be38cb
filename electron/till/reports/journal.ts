// The sales journal (销售流水): every sale and return of a range of business days, newest first, in
// pages, searchable by receipt number, amount, item and member; and one sale in full. Read in the
// reports worker. Pages are keyed by (business_day, rowid) — the order of the sales_day index — so a
// page is an index range whatever the size of the range, never a sort of a year of sales.
import type Database from 'better-sqlite3';
import type { JournalPage, JournalRow, JournalSale } from '../../../shared/api/reports';
import { TillError } from '../../../shared/errors';
import { maskPhone } from '../members';
import { normalizeReceiptNo } from '../receipt-no';
import { tenderLabel } from '../tenders';

type Db = Database.Database;

export interface JournalQuery {
  from: string;
  to: string;
  receiptNo?: string;
  amountFen?: number;
  item?: string;
  member?: string;
  cursor?: string;
  limit: number;
}

/** At most this many matches are counted for the header (「10000+ 笔」 beyond). */
export const JOURNAL_COUNT_CAP = 10_000;
const FULL_RECEIPT = /^[A-Z0-9]+-\d{8}-\d+$/;
const like = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function where(q: JournalQuery): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const receipt = q.receiptNo ? normalizeReceiptNo(q.receiptNo) : '';
  if (receipt && FULL_RECEIPT.test(receipt)) {
    // A whole receipt number names one sale, whatever days are chosen.
    parts.push('s.receipt_no = ?');
    params.push(receipt);
  } else {
    parts.push('s.business_day BETWEEN ? AND ?');
    params.push(q.from, q.to);
    if (receipt) {
      parts.push(`s.receipt_no LIKE ? ESCAPE '\\'`);
      params.push(`%${receipt.replace(/[\\%_]/g, (c) => `\\${c}`)}`);
    }
  }
  if (q.amountFen !== undefined) {
    parts.push('abs(s.total_fen) = ?');
    params.push(q.amountFen);
  }
  if (q.item) {
    parts.push(`EXISTS (SELECT 1 FROM sale_lines l WHERE l.sale_id = s.id AND (
      l.sku_id IN (SELECT sku_id FROM barcodes WHERE code = ?) OR l.sku_id IN (SELECT id FROM skus WHERE code = ?) OR l.name LIKE ? ESCAPE '\\'))`);
    params.push(q.item, q.item, like(q.item));
  }
  if (q.member) {
    parts.push(`s.member_id IN (SELECT id FROM members WHERE phone = ? OR phone LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\')`);
    params.push(q.member, `%${q.member.replace(/[\\%_]/g, (c) => `\\${c}`)}`, like(q.member));
  }
  return { sql: parts.join(' AND '), params };
}

const ROW = `s.id, s.receipt_no AS receiptNo, s.kind, s.status, s.business_day AS businessDay, s.created_at AS createdAt,
  u.name AS cashier, m.name AS member, s.total_fen AS totalFen, s.item_count AS itemCount,
  (SELECT count(*) FROM sale_lines l WHERE l.sale_id = s.id) AS lineCount,
  (SELECT group_concat(method) FROM (SELECT DISTINCT method FROM payments WHERE sale_id = s.id ORDER BY rowid)) AS tenders`;

const tenderText = (methods: string | null) => (methods ? methods.split(',').map(tenderLabel).join('+') : '');

function decodeCursor(c: string | undefined): [string, number] | null {
  if (!c) return null;
  const m = /^(\d{4}-\d{2}-\d{2}):(\d+)$/.exec(c);
  if (!m) throw new TillError('BAD_INPUT', '翻页参数无效，请重新查询');
  return [m[1], Number(m[2])];
}

export function journalPage(db: Db, q: JournalQuery): JournalPage {
  const w = where(q);
  const after = decodeCursor(q.cursor);
  const rows = db
    .prepare(
      `SELECT ${ROW}, s.rowid AS rid FROM sales s JOIN users u ON u.id = s.user_id LEFT JOIN members m ON m.id = s.member_id
       WHERE ${w.sql} ${after ? 'AND (s.business_day, s.rowid) < (?, ?)' : ''}
       ORDER BY s.business_day DESC, s.rowid DESC LIMIT ?`,
    )
    .all(...w.params, ...(after ?? []), q.limit + 1) as (Omit<JournalRow, 'tenders'> & { tenders: string | null; rid: number })[];
  const more = rows.length > q.limit;
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const total = after
    ? null
    : (db.prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM sales s WHERE ${w.sql} LIMIT ${JOURNAL_COUNT_CAP + 1})`).get(...w.params) as { n: number }).n;
  return {
    rows: page.map(({ rid: _rid, ...r }) => ({ ...r, tenders: tenderText(r.tenders) })),
    next: more && last ? `${last.businessDay}:${last.rid}` : null,
    total,
  };
}

export function journalSale(db: Db, saleId: string): JournalSale {
  const row = db
    .prepare(
      `SELECT ${ROW}, s.change_fen AS changeFen, s.rounding_fen AS roundingFen, s.discount_fen AS discountFen,
         o.receipt_no AS originalReceiptNo, m.phone AS memberPhone,
         (SELECT id FROM print_jobs j WHERE j.ref_id = s.id AND j.is_copy = 0 AND j.kind IN ('sale', 'return') ORDER BY j.created_at LIMIT 1) AS printJobId,
         (SELECT count(*) FROM print_jobs j WHERE j.ref_id = s.id AND j.is_copy = 1) AS reprints
       FROM sales s JOIN users u ON u.id = s.user_id LEFT JOIN members m ON m.id = s.member_id LEFT JOIN sales o ON o.id = s.original_sale_id
       WHERE s.id = ?`,
    )
    .get(saleId) as (Omit<JournalSale, 'lines' | 'payments' | 'tenders'> & { tenders: string | null }) | undefined;
  if (!row) throw new TillError('UNKNOWN_SALE', '交易不存在');
  const lines = db
    .prepare(
      `SELECT l.line_no AS lineNo, k.code, l.name, l.qty, u.name AS unit, l.unit_price_fen AS unitPriceFen, l.discount_fen AS discountFen,
         l.payable_fen AS payableFen, l.note
       FROM sale_lines l JOIN skus k ON k.id = l.sku_id JOIN units u ON u.id = k.unit_id WHERE l.sale_id = ? ORDER BY l.line_no`,
    )
    .all(saleId) as JournalSale['lines'];
  const payments = (
    db.prepare(`SELECT method, amount_fen AS amountFen, reference FROM payments WHERE sale_id = ? AND status = 'approved' ORDER BY rowid`).all(saleId) as Omit<
      JournalSale['payments'][number],
      'label'
    >[]
  ).map((p) => ({ ...p, label: tenderLabel(p.method) }));
  return { ...row, tenders: tenderText(row.tenders), memberPhone: row.memberPhone ? maskPhone(row.memberPhone) : null, lines, payments };
}
