import { useCallback, useEffect, useState } from 'react';
import type { PaperWidth, PosApi, PrintConfig } from '../../shared/contract';
import { LIST_TIMEOUT_MS, timedCall } from '../till/timed-call';
import type { Slip } from './slip';

/**
 * The till's slips: the last one made (a finished order's, or a closed shift's), the one shown
 * for printing, and how this till prints (paper width, printer).
 */
export function useSlips(api: PosApi) {
  const [last, setLast] = useState<Slip | null>(null);
  const [preview, setPreview] = useState<Slip | null>(null);
  const [config, setConfig] = useState<PrintConfig | null>(null);
  const [width, setWidth] = useState<PaperWidth>(80);

  const reloadConfig = useCallback(() => {
    void timedCall(api, 'print.config', {}, LIST_TIMEOUT_MS).then((o) => {
      if (o.kind !== 'ok') return;
      setConfig(o.value);
      setWidth(o.value.paperMm);
    });
  }, [api]);
  useEffect(reloadConfig, [reloadConfig]);

  /** Shows a slip for printing; it becomes the last slip, the one the desk reprints. */
  const show = useCallback((slip: Slip) => {
    setLast(slip);
    setPreview(slip);
  }, []);

  return { last, setLast, preview, show, close: useCallback(() => setPreview(null), []), config, reloadConfig, width, setWidth };
}

export type Slips = ReturnType<typeof useSlips>;
