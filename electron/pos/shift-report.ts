// The shift report: the shift's orders with their coupons, every coupon operation by stock,
// kind and outcome, what was accepted offline and what of that WeChat Pay later refused (the
// store's loss), and the order links WeChat Pay refused. A discount counts only when the
// customer kept it: a refused use and a coupon returned since count for nothing. The CSV is for
// Excel on a Chinese Windows till: UTF-8 with a BOM (without it Excel reads GBK and shows
// mojibake), CRLF rows, and cells that could run as formulas defused.
import { fenToYuanString } from '../../shared/money';
import { formatChinaRfc3339 } from '../../shared/time';
import type { OperationKind, OperationStatus } from '../queue/operation';
import type { OperationRecord } from '../queue/records';
import type { OrderRecord } from './orders';

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
  /** Discounts the customers kept (see `counts`). */
  discountFen: number;
}

export interface ReportOrderCoupon {
  code: string;
  stockId: string;
  discountFen: number;
  status: OperationStatus;
  counted: boolean;
  returned: boolean;
  link: OperationStatus | null;
}

export interface ReportOrder {
  orderId: string;
  amountFen: number;
  outTradeNo: string | null;
  status: OrderRecord['status'];
  coupons: ReportOrderCoupon[];
  /** Discounts on this order the customer kept. */
  discountFen: number;
  /** What the customer was charged: the amount less the discounts granted at the till. */
  payableFen: number;
}

export interface FailedLink {
  opId: string;
  couponCode: string;
  outTradeNo: string;
  wechatMessage: string | null;
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
  orders: ReportOrder[];
  /** Redemptions WeChat Pay confirmed whose coupon was not returned since (discounts: those granted at the till). */
  redeemed: { count: number; discountFen: number; orderAmountFen: number };
  /** Confirmed redemptions of this shift given back since (their discount is not counted). */
  returned: { count: number; discountFen: number };
  offline: { accepted: number; acceptedDiscountFen: number; confirmed: number; pending: number; lost: number; lostDiscountFen: number };
  /** Accepted offline, then refused by WeChat Pay: money the store gave away. */
  losses: LossLine[];
  failedLinks: FailedLink[];
  /** Confirmed at WeChat Pay although the cashier was told not to grant the discount. */
  confirmedNotGranted: number;
  /** Parked operations, and pending ones no manager has acknowledged. */
  unresolved: number;
}

const LOSS_STATUSES = new Set<OperationStatus>(['parked', 'acknowledged']);
const REFUSED = new Set<OperationStatus>(['refused', 'parked', 'acknowledged']);

export function isLoss(op: OperationRecord): boolean {
  return op.kind === 'use' && op.offlineAccepted && LOSS_STATUSES.has(op.status);
}

export function isUnresolved(op: OperationRecord): boolean {
  return op.status === 'parked' || (op.status === 'pending' && op.acknowledgedAt === null);
}

/** The customer kept this discount: granted at the till, not refused, not returned since. */
const counts = (op: OperationRecord, returned: ReadonlySet<number>) => op.kind === 'use' && op.granted && !REFUSED.has(op.status) && !returned.has(op.id);

export interface ReportInput {
  shift: Shift;
  operations: readonly OperationRecord[];
  orders: readonly OrderRecord[];
  /** Uses of this shift whose coupon WeChat Pay has since taken back with a return (journal ids). */
  returned: ReadonlySet<number>;
  now: number;
  stockName?: (id: string) => string | null;
}

function reportOrders(input: ReportInput): ReportOrder[] {
  return input.orders.map((order) => {
    const ops = input.operations.filter((op) => op.orderId === order.orderId);
    const coupons = ops
      .filter((op) => op.kind === 'use')
      .map((use) => {
        const link = ops.filter((l) => l.kind === 'associate' && l.couponCode === use.couponCode && l.id < use.id).at(-1);
        return {
          code: use.couponCode,
          stockId: use.stockId ?? '',
          discountFen: use.discountFen ?? 0,
          status: use.status,
          counted: counts(use, input.returned),
          returned: input.returned.has(use.id),
          link: link?.status ?? null,
        };
      });
    const granted = ops.filter((op) => op.kind === 'use' && op.granted && op.status !== 'refused').reduce((sum, op) => sum + (op.discountFen ?? 0), 0);
    const discountFen = coupons.filter((c) => c.counted).reduce((sum, c) => sum + c.discountFen, 0);
    return {
      orderId: order.orderId,
      amountFen: order.amountFen,
      outTradeNo: order.outTradeNo,
      status: order.status,
      coupons,
      discountFen,
      payableFen: Math.max(0, order.amountFen - granted),
    };
  });
}

export function buildShiftReport(input: ReportInput): ShiftReport {
  const stockName = input.stockName ?? (() => null);
  const rows = new Map<string, ReportRow>();
  const report: ShiftReport = {
    shift: input.shift,
    generatedAt: input.now,
    rows: [],
    orders: reportOrders(input),
    redeemed: { count: 0, discountFen: 0, orderAmountFen: 0 },
    returned: { count: 0, discountFen: 0 },
    offline: { accepted: 0, acceptedDiscountFen: 0, confirmed: 0, pending: 0, lost: 0, lostDiscountFen: 0 },
    losses: [],
    failedLinks: [],
    confirmedNotGranted: 0,
    unresolved: 0,
  };
  for (const op of input.operations) {
    const stockId = op.stockId ?? '';
    const key = `${stockId}\u0000${op.kind}\u0000${op.status}`;
    let row = rows.get(key);
    if (!row) {
      row = { stockId, stockName: stockName(stockId), kind: op.kind, status: op.status, count: 0, discountFen: 0 };
      rows.set(key, row);
    }
    const discount = op.discountFen ?? 0;
    const order = op.orderAmountFen ?? 0;
    row.count += 1;
    if (counts(op, input.returned)) row.discountFen += discount;
    if (isUnresolved(op)) report.unresolved += 1;
    if (op.kind === 'associate' && REFUSED.has(op.status) && op.outTradeNo) {
      report.failedLinks.push({ opId: op.opId, couponCode: op.couponCode, outTradeNo: op.outTradeNo, wechatMessage: op.lastMessage });
    }
    if (op.kind !== 'use') continue;
    if (op.status === 'succeeded') {
      if (input.returned.has(op.id)) {
        report.returned.count += 1;
        report.returned.discountFen += discount;
      } else {
        report.redeemed.count += 1;
        // A use the cashier was told not to grant (pending at the till, confirmed later) gave no discount.
        if (op.granted) report.redeemed.discountFen += discount;
        report.redeemed.orderAmountFen += order;
      }
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
const STATUS_ZH: Record<OperationStatus, string> = { pending: '待确认', succeeded: '成功', refused: '被拒', parked: '被拒待处理', acknowledged: '被拒已确认' };
const ORDER_ZH: Record<OrderRecord['status'], string> = { open: '进行中', finished: '已完成', cancelled: '已取消' };

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
  out.push(
    csvLine([
      '班次',
      s.shiftId,
      '收银台',
      s.tillId,
      '收银员',
      s.cashierIds.join(' '),
      '开班',
      time(s.openedAt),
      '交班',
      time(s.closedAt),
      '交班人',
      s.closedBy ?? '',
      '培训模式',
      s.training ? '是' : '否',
    ]),
  );
  out.push('');
  out.push(csvLine(['订单号', '微信支付订单号', '状态', '订单金额(元)', '券数', '计入优惠(元)', '应付(元)', '券码', '批次号', '券优惠(元)', '核销结果', '关联订单', '已退券']));
  for (const o of report.orders) {
    const head = [o.orderId, o.outTradeNo ?? '', ORDER_ZH[o.status], fenToYuanString(o.amountFen), o.coupons.length, fenToYuanString(o.discountFen), fenToYuanString(o.payableFen)];
    if (o.coupons.length === 0) out.push(csvLine([...head, '', '', '', '', '', '']));
    o.coupons.forEach((c, i) => {
      const lead = i === 0 ? head : head.map(() => '');
      out.push(csvLine([...lead, c.code, c.stockId, fenToYuanString(c.discountFen), STATUS_ZH[c.status], c.link ? STATUS_ZH[c.link] : '', c.returned ? '是' : '']));
    });
  }
  out.push('');
  out.push(csvLine(['批次号', '批次名称', '操作', '结果', '笔数', '计入优惠(元)']));
  for (const r of report.rows) {
    out.push(csvLine([r.stockId, r.stockName, KIND_ZH[r.kind], STATUS_ZH[r.status], r.count, fenToYuanString(r.discountFen)]));
  }
  out.push('');
  out.push(
    csvLine([
      '核销成功笔数',
      report.redeemed.count,
      '优惠合计(元)',
      fenToYuanString(report.redeemed.discountFen),
      '订单合计(元)',
      fenToYuanString(report.redeemed.orderAmountFen),
      '已退券笔数',
      report.returned.count,
      '退券优惠(元)',
      fenToYuanString(report.returned.discountFen),
    ]),
  );
  const o = report.offline;
  out.push(
    csvLine([
      '离线受理笔数',
      o.accepted,
      '离线优惠合计(元)',
      fenToYuanString(o.acceptedDiscountFen),
      '已确认',
      o.confirmed,
      '待确认',
      o.pending,
      '损失笔数',
      o.lost,
      '损失金额(元)',
      fenToYuanString(o.lostDiscountFen),
    ]),
  );
  out.push(csvLine(['已核销但未给予优惠', report.confirmedNotGranted, '未处理操作', report.unresolved]));
  if (report.losses.length > 0) {
    out.push('');
    out.push(csvLine(['损失明细：券码', '批次号', '优惠金额(元)', '订单金额(元)', '状态', '微信错误码', '微信错误信息', 'Request-ID', '受理时间']));
    for (const l of report.losses) {
      out.push(
        csvLine([
          l.couponCode,
          l.stockId,
          fenToYuanString(l.discountFen),
          fenToYuanString(l.orderAmountFen),
          STATUS_ZH[l.status],
          l.wechatCode,
          l.wechatMessage,
          l.requestId,
          time(l.createdAt),
        ]),
      );
    }
  }
  if (report.failedLinks.length > 0) {
    out.push('');
    out.push(csvLine(['关联订单失败：券码', '微信支付订单号', '微信错误信息']));
    for (const f of report.failedLinks) out.push(csvLine([f.couponCode, f.outTradeNo, f.wechatMessage]));
  }
  return `\uFEFF${out.join('\r\n')}\r\n`;
}
