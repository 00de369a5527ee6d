const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** "3,594": every count a page shows, with thousands separators, the same on every page. */
export function formatCount(value: number): string {
  return COUNT.format(value);
}
