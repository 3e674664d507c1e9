// The camera pipeline asks only this of a barcode decoder, so the decoder (zxing-wasm today)
// can be swapped or stubbed without touching capture, de-duplication or the screen.

export interface BarcodeDecoder {
  /** The texts of the barcodes found in one frame: usually none, sometimes one. */
  decode(frame: ImageData): Promise<string[]>;
}

export type LoadDecoder = () => Promise<BarcodeDecoder>;
