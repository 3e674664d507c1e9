// The region of interest: the box drawn on the camera preview where the cashier holds the
// code, which decoding looks at first. Shared by the page (to draw it) and the worker (to read it).

/** A rectangle as fractions of the frame (0..1). */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_ROI: Readonly<Region> = Object.freeze({ x: 0.2, y: 0.15, width: 0.6, height: 0.7 });
