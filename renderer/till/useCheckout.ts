// The cashier's screen state: the order being checked out (typed here, or pushed by the
// store's register), the last scan quoted against it, and the last redemption on it. One
// scan and one redemption at a time; the order stays open for the next coupon until the
// cashier finishes it.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CouponView, OrderView, PosApi, PosErrorBody, RedeemResult, ScanResult, StockView } from '../../shared/contract';
import { parseYuan, type ParsedYuan } from '../../shared/money';
import { OutTradeNo } from '../../shared/contract';
import { playTone, type Tone } from './feedback-tone';
import { quoteFor, redeemGate } from './redeem-gate';
import { LIST_TIMEOUT_MS, REDEEM_TIMEOUT_MS, SCAN_TIMEOUT_MS, timedCall, type CallOutcome } from './timed-call';

export type ScanView =
  | { status: 'idle' }
  | { status: 'busy'; timedOut: boolean; seconds: number }
  | { status: 'result'; result: ScanResult; quotedForFen: number | undefined }
  | { status: 'failed'; error: PosErrorBody }
  /** A scan arrived while a redemption was still on its way: refused, not lost silently. */
  | { status: 'refused' };

export type RedeemView =
  | { status: 'idle' }
  | { status: 'busy'; timedOut: boolean; seconds: number }
  | { status: 'done'; result: RedeemResult }
  | { status: 'failed'; error: PosErrorBody };

export interface Feedback {
  tone: Tone;
  /** Counts up with every tone, so the same tone twice is still a change. */
  n: number;
}

/**
 * A coupon the till could not check with WeChat Pay (only its stock is known, or only what this
 * till last saw) is never greeted with the success chime: the cashier hears it is unverified.
 */
export function toneForScan(result: ScanResult): Tone {
  if (result.kind === 'coupon') return !result.coupon.usable.ok ? 'fail' : result.coupon.source === 'wechat' ? 'success' : 'warn';
  if (result.kind === 'payment_code' || result.kind === 'choose_stock') return 'warn';
  return 'fail';
}

export function toneForRedeem(result: RedeemResult): Tone {
  if (result.status === 'succeeded') return 'success';
  if (result.status === 'pending') return 'warn';
  return 'fail';
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

export function useCheckout(api: PosApi, onRedeemSent: () => void, shiftOpen: boolean | null) {
  const [amountText, setAmountTextState] = useState('');
  const [orderNoText, setOrderNoTextState] = useState('');
  /** The till's order: open (coupons can still go on it), or the one just finished, shown until the next customer. */
  const [order, setOrder] = useState<OrderView | null>(null);
  const [scan, setScan] = useState<ScanView>({ status: 'idle' });
  const [redeem, setRedeem] = useState<RedeemView>({ status: 'idle' });
  const [chooserIndex, setChooserIndex] = useState(0);
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const [orderError, setOrderError] = useState<PosErrorBody | null>(null);
  // Each scan gets a number; a late reply for an older scan is dropped, never shown over a newer one.
  const scanSeq = useRef(0);
  const redeemInFlight = useRef(false);

  const open = order?.status === 'open' ? order : null;
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
  const amount: ParsedYuan = open ? { ok: true, fen: open.amountFen } : typed;
  const orderNo: OrderNoState = open ? { ok: true, value: open.outTradeNo } : orderNoOf(orderNoText);

  const signal = useCallback((tone: Tone) => {
    playTone(tone);
    setFeedback((f) => ({ tone, n: (f?.n ?? 0) + 1 }));
  }, []);

  // The open order as the till has it (after a reload), then as every order.status event says —
  // including an order the store's register opened for this till.
  useEffect(() => {
    let live = true;
    const off = api.on('order.status', (o) => {
      setOrder((current) => (o.status === 'open' || current?.orderId === o.orderId ? o : current));
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
        signal('fail');
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
          signal('fail');
        } else {
          setScan({ status: 'busy', timedOut: true, seconds: outcome.seconds });
          signal('warn');
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
  const gate = redeemGate({ coupon, amount, orderNo, quote, busy: scan.status === 'busy' || redeem.status === 'busy', settled: isSettled(redeem), shiftOpen });

  /** The order this coupon goes on: the open one, or a new one from what was typed. */
  const ensureOrder = useCallback(async (): Promise<OrderView | null> => {
    if (open) return open;
    if (!amount.ok || !orderNo.ok) return null;
    const o = await timedCall(api, 'order.open', { amountFen: amount.fen, ...(orderNo.value ? { outTradeNo: orderNo.value } : {}) }, LIST_TIMEOUT_MS);
    if (o.kind === 'ok') {
      setOrder(o.value);
      return o.value;
    }
    setRedeem({ status: 'failed', error: o.kind === 'error' ? o.error : { code: 'INTERNAL', message: 'order.open timed out' } });
    signal('fail');
    return null;
  }, [api, open, amount, orderNo, signal]);

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
        signal('warn');
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
        signal(outcome.error.code === 'OUTCOME_PENDING' ? 'warn' : 'fail');
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
   * locked; its answer still arrives in the queue.
   */
  const nextCustomer = useCallback(async () => {
    setOrderError(null);
    if (open) {
      const method = open.coupons.length > 0 ? 'order.finish' : 'order.cancel';
      const o = await timedCall(api, method, { orderId: open.orderId }, LIST_TIMEOUT_MS);
      if (o.kind === 'ok') setOrder(o.value);
      else {
        setOrderError(o.kind === 'error' ? o.error : { code: 'INTERNAL', message: `${method} timed out` });
        return;
      }
    } else {
      setOrder(null);
    }
    setAmountTextState('');
    setOrderNoTextState('');
    clearScan();
  }, [api, open, clearScan]);

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
    redeem,
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
    feedback,
  };
}

export type TillState = ReturnType<typeof useCheckout>;
