import { useEffect, useRef } from 'react';
import { BurstDetector, cleanScan, type WedgeTiming } from './burst-detector';

type Editable = HTMLInputElement | HTMLTextAreaElement;

const isEditable = (el: Element | null): el is Editable => el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement;

/** Puts a field back as it was, through the native setter so React's onChange sees it. */
function restoreField(el: Editable, value: string): void {
  if (el.value === value) return;
  const proto = el instanceof HTMLInputElement ? HTMLInputElement.prototype : HTMLTextAreaElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(el, value);
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

/**
 * Listens to every key on the page (capture phase, before any field sees it) and hands each
 * scanner burst to `onScan`, wherever the focus is. Keys a person types reach their field
 * untouched; the few characters of a burst that reached a field before the burst was
 * recognised are taken back out of it.
 */
export function useScannerWedge(onScan: (raw: string) => void, timing?: Partial<WedgeTiming>): void {
  const onScanRef = useRef(onScan);
  onScanRef.current = onScan;
  const { maxGapMs, holdGapMs, minLength } = timing ?? {};

  useEffect(() => {
    const detector = new BurstDetector({
      ...(maxGapMs !== undefined && { maxGapMs }),
      ...(holdGapMs !== undefined && { holdGapMs }),
      ...(minLength !== undefined && { minLength }),
    });
    // What the focused field held before each key where a code could start.
    let before = new Map<number, { el: Editable; value: string }>();

    const onKeyDown = (e: KeyboardEvent) => {
      const decision = detector.key({
        key: e.key,
        at: e.timeStamp,
        repeat: e.repeat,
        modified: e.ctrlKey || e.altKey || e.metaKey,
        composing: e.isComposing,
      });
      if (decision.action === 'pass') {
        if (decision.mark === 0) before = new Map();
        const el = document.activeElement;
        if (decision.mark !== null && isEditable(el)) before.set(decision.mark, { el, value: el.value });
        return;
      }
      e.preventDefault();
      e.stopPropagation();
      if (decision.action === 'scan') {
        const field = before.get(decision.mark);
        if (decision.leaked > 0 && field && document.activeElement === field.el) restoreField(field.el, field.value);
        before = new Map();
        const raw = cleanScan(decision.code);
        if (raw) onScanRef.current(raw);
      }
    };
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
  }, [maxGapMs, holdGapMs, minLength]);
}
