// The cashier's screen state: the order being checked out (typed here, or pushed by the
// store's register), the last scan quoted against it, and the last redemption on it. One
// scan and one redemption at a time; the order stays open for the next coupon until the
// cashier finishes it.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CouponView, OrderView, PosApi, PosErrorBody, RedeemResult, ScanResult, StockView } from '../../shared/contract';
import { parseYuan, type ParsedYuan } from '../../shared/money';
import { OutTradeNo } from '../../shared/contract';
import { playTone, type Tone } from './feedback-tone';
import { needsAmountCheck, quoteFor, redeemGate } from './redeem-gate';
import { LIST_TIMEOUT_MS, REDEEM_TIMEOUT_MS, SCAN_TIMEOUT_MS, timedCall, type CallOutcome } from './timed-call';

export type ScanView =
  | { status: 'idle' }
  | { status: 'busy'; timedOut: boolean; seconds: number }
  | { status: 'result'; result: ScanResult; quotedForFen: number | undefined }
  | { status: 'failed'; error: PosErrorBody }
  /** A scan arrived while a redemption was still on its way: refused, not lost silently. */
  | { status: 'refused' };

export type RedeemView =
  { status: 'idle' } | { status: 'busy'; timedOut: boolean; seconds: number } | { status: 'done'; result: RedeemResult } | { status: 'failed'; error: PosErrorBody };

export interface Feedback {
  tone: Tone;
  /** Counts up with every tone, so the same tone twice is still a change. */
  n: number;
}

/**
 * A coupon the till could not check with WeChat Pay (only its stock is known, or only what this
 * till last saw) is never greeted like a checked one: the cashier hears "look at the screen".
 */
export function toneForScan(result: ScanResult): Tone {
  if (result.kind === 'coupon') return !result.coupon.usable.ok ? 'refused' : result.coupon.source === 'wechat' ? 'shown' : 'attention';
  if (result.kind === 'payment_code' || result.kind === 'choose_stock') return 'attention';
  return 'refused';
}

/** Only WeChat Pay's confirmation earns the redeemed chime; anything not yet final asks for attention. */
export function toneForRedeem(result: RedeemResult): Tone {
  if (result.status === 'succeeded') return 'redeemed';
  if (result.status === 'pending') return 'attention';
  return 'refused';
}

/**
 * The last redemption as it stands now: a coupon that was pending when the cashier got the
 * answer is shown as the order now has it (confirmed later, or refused later), so a 待确认
 * banner never outlives its operation.
 */
export function currentResult(result: RedeemResult, order: OrderView | null): RedeemResult {
  if (!result.coupon || !order || order.orderId !== result.order.orderId) return result;
  const now = order.coupons.find((c) => c.operationId === result.coupon?.operationId);
  if (!now || result.status !== 'pending') return { ...result, order, ...(now ? { coupon: now } : {}) };
  if (now.status === 'succeeded') return { status: 'succeeded', coupon: now, order };
  if (now.status === 'pending') return { ...result, coupon: now, order };
  return { status: 'refused', coupon: now, order, ...(now.reason ? { reason: now.reason } : {}) };
}

// Errors that mean the request never reached WeChat Pay: trying again cannot redeem twice.
const NOTHING_SENT = new Set<PosErrorBody['code']>(['NOT_PROVISIONED', 'CONFIGURATION', 'VALIDATION', 'KEYCHAIN', 'FORBIDDEN', 'NOT_FOUND', 'STATE_CONFLICT']);

/** Whether this coupon must not be sent again from this screen (a new scan starts over). */
export function isSettled(redeem: RedeemView): boolean {
  switch (redeem.status) {
    case 'idle':
      return false;
    case 'busy':
      return true;
    case 'done':
      // "declined": the till said no before writing anything (no shift, below the minimum…).
      return redeem.result.status !== 'declined';
    case 'failed':
      return !NOTHING_SENT.has(redeem.error.code);
  }
}

export type OrderNoState = { ok: true; value: string | null } | { ok: false };

function orderNoOf(text: string): OrderNoState {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: null };
  return OutTradeNo.safeParse(trimmed).success ? { ok: true, value: trimmed } : { ok: false };
}

/**
 * `largeAmountFen`: the store's large-ticket line; a typed amount above it is confirmed once
 * (Enter) before it is used.
 */
/**
 * The order the till shows once it hears about `o` (an event, or the answer to finishing one): an
 * open order replaces what is shown (the store's register may have opened it); news of any other
 * order only updates that same order. So a late answer about the order just finished never hides
 * the one the register opened meanwhile.
 */
export function orderAfter(current: OrderView | null, o: OrderView): OrderView | null {
  return o.status === 'open' || current?.orderId === o.orderId ? o : current;
}

export function useCheckout(api: PosApi, onRedeemSent: () => void, shiftOpen: boolean | null, largeAmountFen: number) {
  const [amountText, setAmountTextState] = useState('');
  const [orderNoText, setOrderNoTextState] = useState('');
  /** The till's order: open (coupons can still go on it), or the one just finished, shown until the next customer. */
  const [order, setOrder] = useState<OrderView | null>(null);
  const [scan, setScan] = useState<ScanView>({ status: 'idle' });
  const [redeem, setRedeem] = useState<RedeemView>({ status: 'idle' });
  const [chooserIndex, setChooserIndex] = useState(0);
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const [orderError, setOrderError] = useState<PosErrorBody | null>(null);
  /** The large amount the cashier confirmed (Enter), so it is asked about once. */
  const [confirmedFen, setConfirmedFen] = useState<number | null>(null);
  // Each scan gets a number; a late reply for an older scan is dropped, never shown over a newer one.
  const scanSeq = useRef(0);
  const redeemInFlight = useRef(false);

  /** Esc was pressed and the order is being finished: the next customer's amount can be typed already. */
  const [finishing, setFinishing] = useState(false);
  const open = order?.status === 'open' && !finishing ? order : null;
  // Typing starts the next customer: a finished order's summary gives way.
  const setAmountText = useCallback((text: string) => {
    setAmountTextState(text);
    setOrder((o) => (o?.status === 'open' ? o : null));
  }, []);
  const setOrderNoText = useCallback((text: string) => {
    setOrderNoTextState(text);
    setOrder((o) => (o?.status === 'open' ? o : null));
  }, []);
  const typed: ParsedYuan = useMemo(() => parseYuan(amountText), [amountText]);
  // With an order open, its amount is the amount: typed text cannot change it any more.
  // Memoised so the callbacks below see a new amount only when it really changes.
  const amount: ParsedYuan = useMemo(() => (open ? { ok: true, fen: open.amountFen } : typed), [open, typed]);
  const orderNo: OrderNoState = useMemo(() => (open ? { ok: true, value: open.outTradeNo } : orderNoOf(orderNoText)), [open, orderNoText]);
  const largeUnconfirmed = needsAmountCheck(amount, largeAmountFen, confirmedFen, open !== null);

  const signal = useCallback((tone: Tone) => {
    playTone(tone);
    setFeedback((f) => ({ tone, n: (f?.n ?? 0) + 1 }));
  }, []);

  // The open order as the till has it (after a reload), then as every order.status event says —
  // including an order the store's register opened for this till.
  useEffect(() => {
    let live = true;
    const off = api.on('order.status', (o) => {
      setOrder((current) => orderAfter(current, o));
    });
    void timedCall(api, 'order.current', {}, LIST_TIMEOUT_MS).then((o) => {
      if (live && o.kind === 'ok' && o.value) setOrder((current) => current ?? o.value);
    });
    return () => {
      live = false;
      off();
    };
  }, [api]);

  const submitScan = useCallback(
    async (raw: string, stockId?: string) => {
      if (redeemInFlight.current) {
        setScan({ status: 'refused' });
        signal('refused');
        return;
      }
      const seq = ++scanSeq.current;
      const quotedForFen = amount.ok ? amount.fen : undefined;
      setRedeem({ status: 'idle' });
      setChooserIndex(0);
      setScan({ status: 'busy', timedOut: false, seconds: 0 });
      const apply = (outcome: CallOutcome<ScanResult>) => {
        if (seq !== scanSeq.current) return;
        if (outcome.kind === 'ok') {
          setScan({ status: 'result', result: outcome.value, quotedForFen });
          signal(toneForScan(outcome.value));
        } else if (outcome.kind === 'error') {
          setScan({ status: 'failed', error: outcome.error });
          signal('refused');
        } else {
          setScan({ status: 'busy', timedOut: true, seconds: outcome.seconds });
          signal('attention');
          void outcome.late.then((r) => apply(r.ok ? { kind: 'ok', value: r.value } : { kind: 'error', error: r.error }));
        }
      };
      const against = open ? { orderId: open.orderId } : quotedForFen !== undefined ? { orderAmountFen: quotedForFen } : {};
      apply(await timedCall(api, 'till.scan', { raw, ...against, ...(stockId !== undefined && { stockId }) }, SCAN_TIMEOUT_MS));
    },
    [api, amount, open, signal],
  );

  const coupon: CouponView | null = scan.status === 'result' && scan.result.kind === 'coupon' ? scan.result.coupon : null;
  const quote = coupon && amount.ok ? quoteFor(coupon, amount.fen, scan.status === 'result' ? scan.quotedForFen : undefined, open !== null) : null;
  const gate = redeemGate({ coupon, amount, orderNo, quote, busy: scan.status === 'busy' || redeem.status === 'busy', settled: isSettled(redeem), shiftOpen, largeUnconfirmed });

  /** The order this coupon goes on: the open one, or a new one from what was typed. */
  const ensureOrder = useCallback(async (): Promise<OrderView | null> => {
    if (open) return open;
    if (!amount.ok || !orderNo.ok) return null;
    const o = await timedCall(api, 'order.open', { amountFen: amount.fen, ...(orderNo.value ? { outTradeNo: orderNo.value } : {}) }, LIST_TIMEOUT_MS);
    if (o.kind === 'ok') {
      setOrder(o.value);
      return o.value;
    }
    const error = o.kind === 'error' ? o.error : { code: 'INTERNAL' as const, message: 'order.open timed out' };
    if (coupon) setRedeem({ status: 'failed', error });
    else setOrderError(error);
    signal('refused');
    return null;
  }, [api, open, amount, orderNo, coupon, signal]);

  /** The cashier said yes to a large amount: it is not asked about again. */
  const confirmAmount = useCallback(() => {
    if (amount.ok) setConfirmedFen(amount.fen);
  }, [amount]);

  /**
   * Enter in the amount: a large amount is confirmed first; then the order is opened, so what to
   * charge is on screen and the amount is locked for the coupons that follow.
   */
  const commitAmount = useCallback(async () => {
    if (open || !amount.ok || !orderNo.ok) return;
    if (largeUnconfirmed) return confirmAmount();
    setOrderError(null);
    await ensureOrder();
  }, [open, amount, orderNo, largeUnconfirmed, confirmAmount, ensureOrder]);

  const doRedeem = useCallback(async () => {
    if (!gate.ok || !coupon || redeemInFlight.current) return;
    redeemInFlight.current = true;
    const seq = scanSeq.current;
    setRedeem({ status: 'busy', timedOut: false, seconds: 0 });
    const target = await ensureOrder();
    if (!target) {
      redeemInFlight.current = false;
      return;
    }
    const settle = (outcome: CallOutcome<RedeemResult>) => {
      if (outcome.kind === 'timeout') {
        // The outcome is unknown: the cashier may go on, but this coupon stays locked on
        // screen until its reply comes (or a new scan replaces it), so it is not sent twice.
        redeemInFlight.current = false;
        if (seq === scanSeq.current) setRedeem({ status: 'busy', timedOut: true, seconds: outcome.seconds });
        signal('attention');
        void outcome.late.then((r) => settle(r.ok ? { kind: 'ok', value: r.value } : { kind: 'error', error: r.error }));
        return;
      }
      redeemInFlight.current = false;
      onRedeemSent();
      if (outcome.kind === 'ok') setOrder(outcome.value.order);
      if (seq !== scanSeq.current) return;
      if (outcome.kind === 'ok') {
        setRedeem({ status: 'done', result: outcome.value });
        signal(toneForRedeem(outcome.value));
      } else {
        setRedeem({ status: 'failed', error: outcome.error });
        signal(outcome.error.code === 'OUTCOME_PENDING' ? 'attention' : 'refused');
      }
    };
    settle(await timedCall(api, 'till.redeem', { orderId: target.orderId, code: coupon.code, stockId: coupon.stock.stockId }, REDEEM_TIMEOUT_MS));
  }, [api, gate.ok, coupon, ensureOrder, signal, onRedeemSent]);

  const stocks: StockView[] = scan.status === 'result' && scan.result.kind === 'choose_stock' ? scan.result.stocks : [];
  const chooseStock = useCallback(
    (index: number) => {
      if (scan.status !== 'result' || scan.result.kind !== 'choose_stock') return;
      const stock = scan.result.stocks[index];
      if (stock) void submitScan(scan.result.code, stock.stockId);
    },
    [scan, submitScan],
  );
  const moveChooser = useCallback((delta: number) => setChooserIndex((i) => (stocks.length ? (i + delta + stocks.length) % stocks.length : 0)), [stocks.length]);

  /** Clears the card (Esc while nothing else is pending). */
  const clearScan = useCallback(() => {
    scanSeq.current += 1;
    setScan({ status: 'idle' });
    if (!redeemInFlight.current) setRedeem({ status: 'idle' });
  }, []);

  /**
   * The next customer: the open order is finished (cancelled when no coupon went on it), and the
   * amount, order number and card are cleared. A redemption still on its way keeps its coupon
   * locked; its answer still arrives in the queue. Answers the order it finished, for its slip.
   */
  const nextCustomer = useCallback(async (): Promise<OrderView | null> => {
    setOrderError(null);
    // Cleared at once, not when the till answers: digits typed meanwhile start the next amount.
    setAmountTextState('');
    setOrderNoTextState('');
    setConfirmedFen(null);
    clearScan();
    let finished: OrderView | null = null;
    if (open) {
      const method = open.coupons.length > 0 ? 'order.finish' : 'order.cancel';
      setFinishing(true);
      const o = await timedCall(api, method, { orderId: open.orderId }, LIST_TIMEOUT_MS);
      setFinishing(false);
      if (o.kind === 'ok') {
        const answered = o.value;
        setOrder((current) => orderAfter(current, answered));
        finished = o.value.status === 'finished' ? o.value : null;
      } else {
        setOrderError(o.kind === 'error' ? o.error : { code: 'INTERNAL', message: `${method} timed out` });
        return null;
      }
    } else {
      setOrder(null);
    }
    return finished;
  }, [api, open, clearScan]);

  /** After the shift closed: nothing of the last customer stays for the next cashier. */
  const reset = useCallback(() => {
    setOrder(null);
    setOrderError(null);
    setAmountTextState('');
    setOrderNoTextState('');
    setConfirmedFen(null);
    clearScan();
    setRedeem({ status: 'idle' });
  }, [clearScan]);

  // Nothing stays "busy" past a reload of the screen's api.
  useEffect(() => () => void (scanSeq.current += 1), [api]);

  return {
    amountText,
    setAmountText,
    orderNoText,
    setOrderNoText,
    amount,
    orderNo,
    order,
    open,
    orderError,
    scan,
    redeem: redeem.status === 'done' ? { status: 'done' as const, result: currentResult(redeem.result, order) } : redeem,
    coupon,
    quote,
    gate,
    stocks,
    chooserIndex,
    moveChooser,
    chooseStock,
    submitScan,
    doRedeem,
    clearScan,
    nextCustomer,
    reset,
    largeUnconfirmed,
    confirmAmount,
    commitAmount,
    feedback,
  };
}

export type TillState = ReturnType<typeof useCheckout>;
