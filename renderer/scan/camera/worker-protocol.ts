// Messages between the camera loop (main thread) and the decode worker.
import type { CameraFrame } from './decoder';
import type { Region } from './roi';

export type ToWorker = {
  type: 'frame';
  id: number;
  /** Transferred, not copied: the worker draws it once and closes it. */
  frame: CameraFrame;
  roi: Region;
};

export type FromWorker =
  { type: 'ready' } | { type: 'failed'; message: string } | { type: 'result'; id: number; text: string | null; format: string | null; pass: string | null; ms: number };
