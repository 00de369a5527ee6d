import Bowser from 'bowser';

const MAX_INPUT = 512;

/**
 * A short, honest summary of a User-Agent header for people to read ("Chrome 156 on Linux"):
 * browser name, major version and operating system, as far as the header says. Never the raw
 * header (it can be long, and is whatever the client chose to send).
 */
export function summarizeUserAgent(header: string | undefined): string {
  if (!header || header.trim() === '') return 'Unknown browser';
  let browser: { name?: string; version?: string };
  let os: { name?: string };
  try {
    const parser = Bowser.getParser(header.slice(0, MAX_INPUT));
    browser = parser.getBrowser();
    os = parser.getOS();
  } catch {
    return 'Unknown browser';
  }
  const major = browser.version?.split('.')[0];
  const name = browser.name ? `${browser.name}${major && /^\d+$/.test(major) ? ` ${major}` : ''}` : 'Unknown browser';
  return clean(os.name ? `${name} on ${os.name}` : name);
}

/** Only printable characters, bounded: this text ends up in pages, logs and CSV cells. */
function clean(text: string): string {
  return text.replace(/[^\p{L}\p{N} .,()/_+-]/gu, '').slice(0, 80);
}
