import { useCallback, useEffect, useRef, useState } from 'react';
import { cleanScan } from '../burst-detector';
import type { BarcodeDecoder, CameraFrame, LoadDecoder } from './decoder';
import { DEFAULT_ROI } from './roi';
import { RepeatFilter } from './repeat-filter';

export type CameraProblem = 'denied' | 'no_camera' | 'busy' | 'decoder';

export type CameraState = { status: 'off' } | { status: 'starting' } | { status: 'on' } | { status: 'failed'; problem: CameraProblem };

/** What the open camera offers beyond pictures: a torch (phones, some USB cameras), and whether it is lit. */
export interface CameraExtras {
  torch: 'none' | 'off' | 'on';
  /** width / height of the frames, once known (the preview box keeps it so the ROI box sits where decoding looks). */
  aspect: number | null;
}

/** Pause between one frame's answer and grabbing the next: the worker is never queued up. */
const FRAME_GAP_MS = 30;

// The best resolution the camera gives up to 1080p: more pixels a module for small and tilted
// codes. `ideal` never fails on a camera that cannot; the plain request is for odd drivers.
const PREFERRED: MediaStreamConstraints = { video: { facingMode: 'environment', width: { ideal: 1920 }, height: { ideal: 1080 } }, audio: false };
const FALLBACK: MediaStreamConstraints = { video: true, audio: false };

// Focus and torch are in the Image Capture spec, not yet in TypeScript's DOM types.
type ExtendedCapabilities = MediaTrackCapabilities & { focusMode?: string[]; torch?: boolean };
type ExtendedConstraintSet = MediaTrackConstraintSet & { focusMode?: string; torch?: boolean };

interface CameraSession {
  stream: MediaStream | null;
  decoder: BarcodeDecoder | null;
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
 * The video's current frame for the worker. A VideoFrame wraps the decoded picture as it is
 * (no copy, no colour conversion here); an ImageBitmap is the fallback where WebCodecs is missing.
 */
async function grab(video: HTMLVideoElement): Promise<CameraFrame | null> {
  if (typeof VideoFrame === 'function') {
    try {
      return new VideoFrame(video);
    } catch {
      // Fall through: some frames (e.g. before the first one is presented) cannot be wrapped.
    }
  }
  return createImageBitmap(video).catch(() => null);
}

async function openCamera(): Promise<MediaStream> {
  try {
    return await navigator.mediaDevices.getUserMedia(PREFERRED);
  } catch (err) {
    if (err instanceof DOMException && err.name === 'OverconstrainedError') return navigator.mediaDevices.getUserMedia(FALLBACK);
    throw err;
  }
}

/** Continuous autofocus where the camera has it (a fixed-focus webcam simply has not), and whether a torch exists. */
async function tuneTrack(track: MediaStreamTrack): Promise<boolean> {
  const caps = (track.getCapabilities?.() ?? {}) as ExtendedCapabilities;
  if (caps.focusMode?.includes('continuous')) {
    await track.applyConstraints({ advanced: [{ focusMode: 'continuous' } as ExtendedConstraintSet] }).catch(() => undefined);
  }
  return caps.torch === true;
}

/**
 * The till's webcam as a scanner: frames go to the decoder (a worker), each new code goes to
 * `onScan`, the same as a keyboard-wedge scan. The camera is only on while the cashier wants it.
 * This thread only wraps each frame (a VideoFrame) and hands it over; the pixels are read and
 * decoded in the worker.
 */
export function useCameraScanner(onScan: (raw: string) => void, loadDecoder: LoadDecoder) {
  const [state, setState] = useState<CameraState>({ status: 'off' });
  const [extras, setExtras] = useState<CameraExtras>({ torch: 'none', aspect: null });
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
      s.decoder?.close();
    }
    if (videoRef.current) videoRef.current.srcObject = null;
    setState({ status: 'off' });
    setExtras({ torch: 'none', aspect: null });
  }, []);

  const start = useCallback(async () => {
    if (session.current) return;
    const s: CameraSession = { stream: null, decoder: null, timer: undefined, stopped: false };
    session.current = s;
    setState({ status: 'starting' });
    // The worker starts (and compiles its WebAssembly) while the camera opens: the preview
    // shows as soon as the camera gives pictures, decoding follows once the worker is ready.
    const abort = new AbortController();
    const loading = loadDecoder(abort.signal);
    loading.catch(() => undefined);
    // A worker still starting is ended at once (its WebAssembly compile would only take CPU).
    const release = () => {
      abort.abort();
      void loading.then(
        (d) => d.close(),
        () => undefined,
      );
    };
    try {
      s.stream = await openCamera();
    } catch (err) {
      release();
      if (!s.stopped) setState({ status: 'failed', problem: problemOf(err) });
      if (session.current === s) session.current = null;
      return;
    }
    if (s.stopped) {
      s.stream.getTracks().forEach((t) => t.stop());
      return release();
    }
    const video = videoRef.current;
    if (!video) {
      release();
      return stop();
    }
    const [track] = s.stream.getVideoTracks();
    const torch = track ? await tuneTrack(track) : false;
    video.srcObject = s.stream;
    await video.play().catch(() => undefined);
    if (s.stopped) return release();
    setState({ status: 'on' });
    setExtras({ torch: torch ? 'off' : 'none', aspect: video.videoWidth > 0 ? video.videoWidth / video.videoHeight : null });

    let decoder: BarcodeDecoder;
    try {
      decoder = await loading;
    } catch {
      if (s.stopped) return;
      stop();
      setState({ status: 'failed', problem: 'decoder' });
      return;
    }
    if (s.stopped) return decoder.close();
    s.decoder = decoder;

    const filter = new RepeatFilter();
    let decoded = 0;
    const tick = async () => {
      if (s.stopped) return;
      if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0) {
        const frame = await grab(video);
        if (frame && !s.stopped) {
          const texts = await decoder.decode(frame, DEFAULT_ROI).catch(() => []);
          if (s.stopped) return;
          // How many frames the worker has answered: for diagnosis and tests, without a re-render.
          video.dataset.frames = String(++decoded);
          for (const text of filter.accept(texts, performance.now())) {
            const raw = cleanScan(text);
            if (raw) onScanRef.current(raw);
          }
        } else frame?.close();
      }
      if (!s.stopped) s.timer = setTimeout(() => void tick(), FRAME_GAP_MS);
    };
    void tick();
  }, [loadDecoder, stop]);

  const toggleTorch = useCallback(async () => {
    const track = session.current?.stream?.getVideoTracks()[0];
    if (!track || extras.torch === 'none') return;
    const on = extras.torch === 'off';
    try {
      await track.applyConstraints({ advanced: [{ torch: on } as ExtendedConstraintSet] });
      setExtras((x) => ({ ...x, torch: on ? 'on' : 'off' }));
    } catch {
      // The camera refused after all: the torch is not offered any more.
      setExtras((x) => ({ ...x, torch: 'none' }));
    }
  }, [extras.torch]);

  // The camera light goes off when the screen goes away.
  useEffect(() => stop, [stop]);

  return { state, extras, start, stop, toggleTorch, videoRef };
}
