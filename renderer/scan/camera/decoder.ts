// The camera loop asks only this of a barcode decoder, so the decoder (the pipeline in a
// worker today) can be swapped or stubbed without touching capture, de-duplication or the screen.
import type { Region } from './roi';

/** One camera frame, handed over without copying its pixels on the page's thread. */
export type CameraFrame = VideoFrame | ImageBitmap;

export interface BarcodeDecoder {
  /**
   * The texts read from one frame: usually none, sometimes one. The frame is handed over
   * (transferred to the worker, closed after), never copied; `roi` is the box on the preview,
   * as fractions of the frame, which decoding looks at first.
   */
  decode(frame: CameraFrame, roi: Region): Promise<string[]>;
  /** Releases the decoder (ends its worker). */
  close(): void;
}

/** Starts a decoder; aborting `signal` while it starts ends it at once (no camera after all). */
export type LoadDecoder = (signal?: AbortSignal) => Promise<BarcodeDecoder>;
