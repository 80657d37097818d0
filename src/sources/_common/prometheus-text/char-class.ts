// Byte classes for the exposition grammar, looked up once per byte in the hot loops.

/** Space or tab: token separators. */
export const BLANK = 1;
/** May start a metric name: `[a-zA-Z_:]`. */
export const NAME_START = 2;
/** May continue a metric name: `[a-zA-Z0-9_:]`. */
export const NAME_CHAR = 4;
/** May start a label name: `[a-zA-Z_]`. */
export const LABEL_START = 8;
/** May continue a label name: `[a-zA-Z0-9_]`. */
export const LABEL_CHAR = 16;

/** Class bits of every byte value. */
export const CHAR_CLASS: Uint8Array = buildCharClass();

function buildCharClass(): Uint8Array {
  const table = new Uint8Array(256);
  table[0x20] = BLANK;
  table[0x09] = BLANK;
  for (let c = 0; c < 256; c++) {
    const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
    const digit = c >= 0x30 && c <= 0x39;
    if (letter) table[c] = NAME_START | NAME_CHAR | LABEL_START | LABEL_CHAR;
    else if (digit) table[c] = NAME_CHAR | LABEL_CHAR;
    else if (c === 0x3a) table[c] = NAME_START | NAME_CHAR;
  }
  return table;
}
