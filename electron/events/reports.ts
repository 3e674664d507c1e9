// Chain reporting: the day's redemptions per store and till, from the operations every till
// pushed, so a chain's finance sees one total. Same CSV conventions as the shift report (UTF-8
// with a BOM for Excel, CRLF, formula-like cells defused). A day is a China calendar day, and an
// operation counts on the day WeChat Pay settled it.
import { fenToYuanString } from '../../shared/money';
import { chinaDate, startOfChinaDay } from '../../shared/time';
import { csvLine } from '../pos/shift-report';
import type { StoredOperation } from './directory-store';

const DAY_MS = 86_400_000;

export interface ReportDay {
  date: string;
  from: number;
  to: number;
}

/** `YYYY-MM-DD` (China time), or today when absent; null when the text is not a date. */
export function reportDay(date: string | null | undefined, now: number): ReportDay | null {
  let from: number;
  if (date === null || date === undefined || date === '') {
    from = startOfChinaDay(new Date(now)).getTime();
  } else {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    if (!m) return null;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const at = chinaDate(y, mo, d);
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || at.getTime() + 8 * 3600_000 !== Date.UTC(y, mo - 1, d)) return null;
    from = at.getTime();
  }
  const iso = new Date(from + 8 * 3600_000).toISOString().slice(0, 10);
  return { date: iso, from, to: from + DAY_MS };
}

export interface TillTotals {
  storeId: string;
  tillId: string;
  redeemed: number;
  discountFen: number;
  orderAmountFen: number;
  returned: number;
  /** Accepted offline, then refused by WeChat Pay: what the store gave away. */
  lost: number;
  lostDiscountFen: number;
}

const LOST = new Set(['refused', 'parked', 'acknowledged']);

export function tillTotals(operations: readonly StoredOperation[]): TillTotals[] {
  const byTill = new Map<string, TillTotals>();
  for (const op of operations) {
    const key = `${op.storeId}\u0000${op.tillId}`;
    let t = byTill.get(key);
    if (!t) {
      t = { storeId: op.storeId, tillId: op.tillId, redeemed: 0, discountFen: 0, orderAmountFen: 0, returned: 0, lost: 0, lostDiscountFen: 0 };
      byTill.set(key, t);
    }
    const discount = op.discountFen ?? 0;
    if (op.kind === 'use' && op.status === 'succeeded') {
      t.redeemed += 1;
      t.discountFen += discount;
      t.orderAmountFen += op.orderAmountFen ?? 0;
    } else if (op.kind === 'use' && op.offlineAccepted && LOST.has(op.status)) {
      t.lost += 1;
      t.lostDiscountFen += discount;
    } else if (op.kind === 'return' && op.status === 'succeeded') {
      t.returned += 1;
    }
  }
  return [...byTill.values()].sort((a, b) => a.storeId.localeCompare(b.storeId) || a.tillId.localeCompare(b.tillId));
}

const yuan = fenToYuanString;

export function redemptionsCsv(date: string, operations: readonly StoredOperation[]): string {
  const tills = tillTotals(operations);
  const out: string[] = [];
  out.push(csvLine(['日期', date]));
  out.push('');
  out.push(csvLine(['门店', '收银台', '核销笔数', '优惠合计(元)', '订单合计(元)', '退券笔数', '离线受理后被拒笔数', '被拒优惠(元)']));
  const sum = (rows: TillTotals[], storeId: string, tillId: string): TillTotals =>
    rows.reduce(
      (s, t) => ({
        ...s,
        redeemed: s.redeemed + t.redeemed,
        discountFen: s.discountFen + t.discountFen,
        orderAmountFen: s.orderAmountFen + t.orderAmountFen,
        returned: s.returned + t.returned,
        lost: s.lost + t.lost,
        lostDiscountFen: s.lostDiscountFen + t.lostDiscountFen,
      }),
      { storeId, tillId, redeemed: 0, discountFen: 0, orderAmountFen: 0, returned: 0, lost: 0, lostDiscountFen: 0 },
    );
  const row = (t: TillTotals) => csvLine([t.storeId, t.tillId, t.redeemed, yuan(t.discountFen), yuan(t.orderAmountFen), t.returned, t.lost, yuan(t.lostDiscountFen)]);
  for (const storeId of [...new Set(tills.map((t) => t.storeId))]) {
    const rows = tills.filter((t) => t.storeId === storeId);
    for (const t of rows) out.push(row(t));
    out.push(row(sum(rows, storeId, '门店合计')));
  }
  out.push('');
  out.push(row(sum(tills, '全部门店', '合计')));
  return `\uFEFF${out.join('\r\n')}\r\n`;
}
