// The shift report: what happened to every coupon operation of a shift, by stock, kind and
// outcome; what was accepted offline and what of that WeChat Pay later refused (the store's
// loss). The CSV is for Excel on a Chinese Windows till: UTF-8 with a BOM (without it Excel
// reads GBK and shows mojibake), CRLF rows, and cells that could run as formulas defused.
import { fenToYuanString } from '../../shared/money';
import { formatChinaRfc3339 } from '../../shared/time';
import type { OperationKind, OperationStatus } from '../queue/operation';
import type { OperationRecord } from '../queue/records';

export interface Shift {
  shiftId: string;
  tillId: string;
  cashierIds: string[];
  training: boolean;
  openedAt: number;
  openedBy: string;
  closedAt: number | null;
  closedBy: string | null;
}

export interface ReportRow {
  stockId: string;
  stockName: string | null;
  kind: OperationKind;
  status: OperationStatus;
  count: number;
  discountFen: number;
  orderAmountFen: number;
}

export interface LossLine {
  opId: string;
  couponCode: string;
  stockId: string;
  discountFen: number;
  orderAmountFen: number;
  status: OperationStatus;
  wechatCode: string | null;
  wechatMessage: string | null;
  requestId: string | null;
  createdAt: number;
}

export interface ShiftReport {
  shift: Shift;
  generatedAt: number;
  rows: ReportRow[];
  /** Redemptions WeChat Pay confirmed. */
  redeemed: { count: number; discountFen: number; orderAmountFen: number };
  offline: { accepted: number; acceptedDiscountFen: number; confirmed: number; pending: number; lost: number; lostDiscountFen: number };
  /** Accepted offline, then refused by WeChat Pay: money the store gave away. */
  losses: LossLine[];
  /** Confirmed at WeChat Pay although the cashier was told not to grant the discount. */
  confirmedNotGranted: number;
  /** Pending or rejected operations no manager has acknowledged. */
  unresolved: number;
}

const LOSS_STATUSES = new Set<OperationStatus>(['rejected', 'acknowledged']);

export function isLoss(op: OperationRecord): boolean {
  return op.kind === 'use' && op.offlineAccepted && LOSS_STATUSES.has(op.status);
}

export function isUnresolved(op: OperationRecord): boolean {
  return op.status === 'rejected' || (op.status === 'pending' && op.acknowledgedAt === null);
}

export function buildShiftReport(shift: Shift, ops: readonly OperationRecord[], now: number, stockName: (id: string) => string | null = () => null): ShiftReport {
  const rows = new Map<string, ReportRow>();
  const report: ShiftReport = {
    shift,
    generatedAt: now,
    rows: [],
    redeemed: { count: 0, discountFen: 0, orderAmountFen: 0 },
    offline: { accepted: 0, acceptedDiscountFen: 0, confirmed: 0, pending: 0, lost: 0, lostDiscountFen: 0 },
    losses: [],
    confirmedNotGranted: 0,
    unresolved: 0,
  };
  for (const op of ops) {
    const stockId = op.stockId ?? '';
    const key = `${stockId}\u0000${op.kind}\u0000${op.status}`;
    let row = rows.get(key);
    if (!row) {
      row = { stockId, stockName: stockName(stockId), kind: op.kind, status: op.status, count: 0, discountFen: 0, orderAmountFen: 0 };
      rows.set(key, row);
    }
    const discount = op.discountFen ?? 0;
    const order = op.orderAmountFen ?? 0;
    row.count += 1;
    row.discountFen += discount;
    row.orderAmountFen += order;
    if (isUnresolved(op)) report.unresolved += 1;
    if (op.kind !== 'use') continue;
    if (op.status === 'succeeded') {
      report.redeemed.count += 1;
      report.redeemed.discountFen += discount;
      report.redeemed.orderAmountFen += order;
      if (!op.granted) report.confirmedNotGranted += 1;
    }
    if (!op.offlineAccepted) continue;
    report.offline.accepted += 1;
    report.offline.acceptedDiscountFen += discount;
    if (op.status === 'succeeded') report.offline.confirmed += 1;
    else if (op.status === 'pending') report.offline.pending += 1;
    if (isLoss(op)) {
      report.offline.lost += 1;
      report.offline.lostDiscountFen += discount;
      report.losses.push({
        opId: op.opId,
        couponCode: op.couponCode,
        stockId,
        discountFen: discount,
        orderAmountFen: order,
        status: op.status,
        wechatCode: op.lastCode,
        wechatMessage: op.lastMessage,
        requestId: op.lastRequestId,
        createdAt: op.createdAt,
      });
    }
  }
  report.rows = [...rows.values()].sort((a, b) => a.stockId.localeCompare(b.stockId) || a.kind.localeCompare(b.kind) || a.status.localeCompare(b.status));
  return report;
}

const KIND_ZH: Record<OperationKind, string> = { use: '核销', associate: '关联订单', disassociate: '取消关联', return: '退券', deactivate: '使券失效' };
const STATUS_ZH: Record<OperationStatus, string> = { pending: '待确认', succeeded: '成功', rejected: '被拒待处理', failed: '被拒', acknowledged: '被拒已确认' };

/** Excel runs a cell starting with = + - @ (or a tab/CR) as a formula; coupon codes may start with `-` or `=`. */
export function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV row of defused cells. */
export const csvLine = (cells: (string | number | null)[]) => cells.map(csvCell).join(',');
const time = (ms: number | null) => (ms === null ? '' : formatChinaRfc3339(new Date(ms)));

export function shiftReportCsv(report: ShiftReport): string {
  const s = report.shift;
  const out: string[] = [];
  out.push(csvLine(['班次', s.shiftId, '收银台', s.tillId, '收银员', s.cashierIds.join(' '), '开班', time(s.openedAt), '交班', time(s.closedAt), '交班人', s.closedBy ?? '', '培训模式', s.training ? '是' : '否']));
  out.push('');
  out.push(csvLine(['批次号', '批次名称', '操作', '结果', '笔数', '优惠金额(元)', '订单金额(元)']));
  for (const r of report.rows) {
    out.push(csvLine([r.stockId, r.stockName, KIND_ZH[r.kind], STATUS_ZH[r.status], r.count, fenToYuanString(r.discountFen), fenToYuanString(r.orderAmountFen)]));
  }
  out.push('');
  out.push(csvLine(['核销成功笔数', report.redeemed.count, '优惠合计(元)', fenToYuanString(report.redeemed.discountFen), '订单合计(元)', fenToYuanString(report.redeemed.orderAmountFen)]));
  const o = report.offline;
  out.push(csvLine(['离线受理笔数', o.accepted, '离线优惠合计(元)', fenToYuanString(o.acceptedDiscountFen), '已确认', o.confirmed, '待确认', o.pending, '损失笔数', o.lost, '损失金额(元)', fenToYuanString(o.lostDiscountFen)]));
  out.push(csvLine(['已核销但未给予优惠', report.confirmedNotGranted, '未处理操作', report.unresolved]));
  if (report.losses.length > 0) {
    out.push('');
    out.push(csvLine(['损失明细：券码', '批次号', '优惠金额(元)', '订单金额(元)', '状态', '微信错误码', '微信错误信息', 'Request-ID', '受理时间']));
    for (const l of report.losses) {
      out.push(csvLine([l.couponCode, l.stockId, fenToYuanString(l.discountFen), fenToYuanString(l.orderAmountFen), STATUS_ZH[l.status], l.wechatCode, l.wechatMessage, l.requestId, time(l.createdAt)]));
    }
  }
  return `\uFEFF${out.join('\r\n')}\r\n`;
}
