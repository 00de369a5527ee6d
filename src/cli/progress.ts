/** The "Loaded 2,300 of 10,000 projects…" line a long command keeps up to date on a terminal. */

/** Where the line goes: stderr, so stdout stays the command's output (a table, JSON, CSV). */
export interface ProgressStream {
  write(chunk: string): unknown;
  /** Only a terminal gets the line; a file or a pipe gets nothing. */
  isTTY?: boolean;
}

export interface ProgressLine {
  show(loaded: number, total: number | undefined): void;
  /** Wipes the line, so what follows starts on a clean one. */
  clear(): void;
}

/** Back to the start of the line, and erase to its end. */
const REWRITE = '\r\u001b[K';

const number = (value: number): string => value.toLocaleString('en-US');

/** A progress line on `stream` about `things` ("projects"), or undefined when `stream` is not a terminal. */
export function progressLine(stream: ProgressStream, things: string): ProgressLine | undefined {
  if (stream.isTTY !== true) return undefined;
  let shown = false;
  return {
    show(loaded, total) {
      shown = true;
      stream.write(`${REWRITE}Loaded ${number(loaded)}${total === undefined ? '' : ` of ${number(total)}`} ${things}…`);
    },
    clear() {
      if (shown) stream.write(REWRITE);
      shown = false;
    },
  };
}
