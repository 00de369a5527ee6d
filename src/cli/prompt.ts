import { createInterface } from 'node:readline';
import type { CliIo } from './context';

/**
 * Reads one non-empty line: typed at a terminal (after `question` is shown on standard error) or
 * the first non-empty line of piped standard input. Undefined when input ends without one.
 */
export function readLine(io: Pick<CliIo, 'stdin' | 'stderr'>, question: string): Promise<string | undefined> {
  const interactive = io.stdin.isTTY === true;
  if (interactive) io.stderr.write(question);
  const lines = createInterface({ input: io.stdin, terminal: false, crlfDelay: Infinity });
  return new Promise((resolve) => {
    let answered = false;
    const finish = (value: string | undefined): void => {
      if (answered) return;
      answered = true;
      lines.close();
      resolve(value);
    };
    lines.on('line', (line) => {
      const trimmed = line.trim();
      if (trimmed) finish(trimmed);
    });
    lines.on('close', () => finish(undefined));
  });
}
