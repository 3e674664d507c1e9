import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CouponView, PosApi, PosErrorBody, RedeemResult, ScanResult, StockView } from '../../shared/contract';
import { parseOrderAmount } from './amount';
import { playTone, type Tone } from './feedback-tone';
import { quoteFor, redeemGate, type Quote } from './redeem-gate';
import { REDEEM_TIMEOUT_MS, SCAN_TIMEOUT_MS, timedCall, type CallOutcome } from './timed-call';

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

export function toneForScan(result: ScanResult): Tone {
  if (result.kind === 'coupon') return result.coupon.usable.ok ? 'success' : 'fail';
  if (result.kind === 'payment_code' || result.kind === 'choose_stock') return 'warn';
  return 'fail';
}

export function toneForRedeem(result: RedeemResult): Tone {
  if (result.status === 'done') return 'success';
  if (result.status === 'pending') return 'warn';
  return 'fail';
}

// Errors that mean the request never reached WeChat Pay: trying again cannot redeem twice.
const NOTHING_SENT = new Set<PosErrorBody['code']>(['NOT_PROVISIONED', 'CONFIGURATION', 'VALIDATION', 'KEYCHAIN', 'FORBIDDEN']);

/** Whether this coupon must not be sent again from this screen (a new scan starts over). */
export function isSettled(redeem: RedeemView): boolean {
  switch (redeem.status) {
    case 'idle':
      return false;
    case 'busy':
      return true;
    case 'done':
      // "refused": the till said no before writing anything (no shift, below the minimum…).
      return redeem.result.status !== 'refused';
    case 'failed':
      return !NOTHING_SENT.has(redeem.error.code);
  }
}

/** The cashier's screen state: one scan, one order amount, one redemption at a time. */
export function useTill(api: PosApi, onRedeemSent: () => void, shiftOpen: boolean | null) {
  const [amountText, setAmountTextState] = useState('');
  // After a redemption the amount stays on screen as the record of that order, but it belongs
  // to that order: the next scan starts without it, and typing replaces it.
  const [amountSettled, setAmountSettled] = useState(false);
  const setAmountText = useCallback((text: string) => {
    setAmountSettled(false);
    setAmountTextState(text);
  }, []);
  const [scan, setScan] = useState<ScanView>({ status: 'idle' });
  const [redeem, setRedeem] = useState<RedeemView>({ status: 'idle' });
  const [chooserIndex, setChooserIndex] = useState(0);
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  // Each scan gets a number; a late reply for an older scan is dropped, never shown over a newer one.
  const scanSeq = useRef(0);
  const redeemInFlight = useRef(false);

  const amount = useMemo(() => parseOrderAmount(amountText), [amountText]);

  const signal = useCallback((tone: Tone) => {
    playTone(tone);
    setFeedback((f) => ({ tone, n: (f?.n ?? 0) + 1 }));
  }, []);

  const submitScan = useCallback(
    async (raw: string, stockId?: string) => {
      if (redeemInFlight.current) {
        setScan({ status: 'refused' });
        signal('fail');
        return;
      }
      const seq = ++scanSeq.current;
      if (amountSettled) setAmountText('');
      const orderAmountFen = amount.ok && !amountSettled ? amount.fen : undefined;
      setRedeem({ status: 'idle' });
      setChooserIndex(0);
      setScan({ status: 'busy', timedOut: false, seconds: 0 });
      const apply = (outcome: CallOutcome<ScanResult>) => {
        if (seq !== scanSeq.current) return;
        if (outcome.kind === 'ok') {
          setScan({ status: 'result', result: outcome.value, quotedForFen: orderAmountFen });
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
      const input = { raw, ...(orderAmountFen !== undefined && { orderAmountFen }), ...(stockId !== undefined && { stockId }) };
      apply(await timedCall(api, 'till.scan', input, SCAN_TIMEOUT_MS));
    },
    [api, amount, amountSettled, setAmountText, signal],
  );

  const coupon: CouponView | null = scan.status === 'result' && scan.result.kind === 'coupon' ? scan.result.coupon : null;
  const quote: Quote | null = coupon && amount.ok ? quoteFor(coupon, amount.fen, scan.status === 'result' ? scan.quotedForFen : undefined) : null;
  const gate = redeemGate({
    coupon,
    amount,
    quote,
    busy: scan.status === 'busy' || redeem.status === 'busy',
    settled: isSettled(redeem),
    shiftOpen,
  });

  const doRedeem = useCallback(async () => {
    if (!gate.ok || !coupon || !amount.ok || redeemInFlight.current) return;
    redeemInFlight.current = true;
    const seq = scanSeq.current;
    setRedeem({ status: 'busy', timedOut: false, seconds: 0 });
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
      if (seq !== scanSeq.current) return;
      if (outcome.kind === 'ok') {
        setRedeem({ status: 'done', result: outcome.value });
        signal(toneForRedeem(outcome.value));
        if (outcome.value.status === 'done' || outcome.value.status === 'pending') setAmountSettled(true);
      } else {
        setRedeem({ status: 'failed', error: outcome.error });
        signal(outcome.error.code === 'OUTCOME_PENDING' ? 'warn' : 'fail');
      }
    };
    settle(await timedCall(api, 'till.redeem', { code: coupon.code, stockId: coupon.stock.stockId, orderAmountFen: amount.fen }, REDEEM_TIMEOUT_MS));
  }, [api, gate.ok, coupon, amount, signal, onRedeemSent]);

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

  const clear = useCallback(() => {
    scanSeq.current += 1;
    setScan({ status: 'idle' });
    if (!redeemInFlight.current) setRedeem({ status: 'idle' });
  }, []);

  // Nothing stays "busy" past a reload of the screen's api.
  useEffect(() => () => void (scanSeq.current += 1), [api]);

  return { amountText, setAmountText, amountSettled, amount, scan, redeem, coupon, quote, gate, stocks, chooserIndex, moveChooser, chooseStock, submitScan, doRedeem, clear, feedback };
}

export type TillState = ReturnType<typeof useTill>;
