import type { RefusedItem } from './types';

/** One sentence for a log line or the terminal: which item was left out, and why. */
export function describeRefusedItem(item: RefusedItem): string {
  const which = item.name === undefined ? `a ${item.what}` : `${item.what} "${item.name}"`;
  return `${item.endpoint} sent ${which} with an id above 2^53 (read as ${item.roundedId}), which JavaScript cannot hold exactly: it is left out of the list`;
}
