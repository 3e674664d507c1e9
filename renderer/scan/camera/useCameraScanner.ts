import { useCallback, useEffect, useRef, useState } from 'react';
import { cleanScan } from '../burst-detector';
import type { BarcodeDecoder, LoadDecoder } from './decoder';
import { RepeatFilter } from './repeat-filter';

export type CameraProblem = 'denied' | 'no_camera' | 'busy' | 'decoder';

export type CameraState = { status: 'off' } | { status: 'starting' } | { status: 'on' } | { status: 'failed'; problem: CameraProblem };

/** Frames are sampled, not all decoded: ~8 a second reads a code at once and leaves the page responsive. */
const FRAME_INTERVAL_MS = 120;
/** Decoding at 640 px wide is plenty for a phone screen held at the till. */
const MAX_WIDTH = 640;

interface CameraSession {
  stream: MediaStream | null;
  timer: ReturnType<typeof setTimeout> | undefined;
  stopped: boolean;
}

function problemOf(err: unknown): CameraProblem {
  const name = err instanceof DOMException ? err.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'no_camera';
  return 'busy';
}

/**
 * The till's webcam as a scanner: frames go to the decoder, each new code goes to `onScan`,
 * the same as a keyboard-wedge scan. The camera is only on while the cashier wants it.
 */
export function useCameraScanner(onScan: (raw: string) => void, loadDecoder: LoadDecoder) {
  const [state, setState] = useState<CameraState>({ status: 'off' });
  const videoRef = useRef<HTMLVideoElement>(null);
  const onScanRef = useRef(onScan);
  onScanRef.current = onScan;
  // Everything the running camera holds, so stop() can release it from anywhere.
  const session = useRef<CameraSession | null>(null);

  const stop = useCallback(() => {
    const s = session.current;
    session.current = null;
    if (s) {
      s.stopped = true;
      clearTimeout(s.timer);
      s.stream?.getTracks().forEach((t) => t.stop());
    }
    if (videoRef.current) videoRef.current.srcObject = null;
    setState({ status: 'off' });
  }, []);

  const start = useCallback(async () => {
    if (session.current) return;
    const s: CameraSession = { stream: null, timer: undefined, stopped: false };
    session.current = s;
    setState({ status: 'starting' });
    let decoder: BarcodeDecoder;
    try {
      decoder = await loadDecoder();
    } catch {
      if (!s.stopped) setState({ status: 'failed', problem: 'decoder' });
      session.current = null;
      return;
    }
    try {
      s.stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment', width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false });
    } catch (err) {
      if (!s.stopped) setState({ status: 'failed', problem: problemOf(err) });
      session.current = null;
      return;
    }
    if (s.stopped) {
      s.stream.getTracks().forEach((t) => t.stop());
      return;
    }
    const video = videoRef.current;
    if (!video) return stop();
    video.srcObject = s.stream;
    await video.play().catch(() => undefined);
    setState({ status: 'on' });

    const canvas = document.createElement('canvas');
    const g = canvas.getContext('2d', { willReadFrequently: true });
    const filter = new RepeatFilter();
    const tick = async () => {
      if (s.stopped || !g) return;
      if (video.videoWidth > 0) {
        const scale = Math.min(1, MAX_WIDTH / video.videoWidth);
        canvas.width = Math.round(video.videoWidth * scale);
        canvas.height = Math.round(video.videoHeight * scale);
        g.drawImage(video, 0, 0, canvas.width, canvas.height);
        const texts = await decoder.decode(g.getImageData(0, 0, canvas.width, canvas.height)).catch(() => []);
        if (s.stopped) return;
        for (const text of filter.accept(texts, performance.now())) {
          const raw = cleanScan(text);
          if (raw) onScanRef.current(raw);
        }
      }
      s.timer = setTimeout(() => void tick(), FRAME_INTERVAL_MS);
    };
    void tick();
  }, [loadDecoder, stop]);

  // The camera light goes off when the screen goes away.
  useEffect(() => stop, [stop]);

  return { state, start, stop, videoRef };
}
