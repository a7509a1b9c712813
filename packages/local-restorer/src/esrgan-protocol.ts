/** Messages between the restorer and its ESRGAN thread. Pixels travel as transferred ArrayBuffers, never copied. */

export interface EsrganRequest {
  id: number;
  width: number;
  height: number;
  /** 8-bit RGB, row by row, width × height × 3 bytes. */
  pixels: ArrayBuffer;
}

export type EsrganResponse =
  | { id: number; ok: true; width: number; height: number; pixels: ArrayBuffer }
  | { id: number; ok: false; message: string };
