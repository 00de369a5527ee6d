import proxyaddr from 'proxy-addr';

/** Express's `trust proxy` as a function: is the address `hop` steps from the socket a proxy to trust? */
export type TrustProxy = (address: string, hop: number) => boolean;

const MAX_REMEMBERED = 1_000;

/**
 * TRUST_PROXY as Express reads it (`true`, a hop count, or addresses and subnets such as
 * `loopback, 10.0.0.0/8`), with the answers for addresses remembered: Express asks the trust test
 * whenever a request's address, protocol or `secure` is read (the session cookie, the access
 * checks, the activity record: several times per request), and for addresses proxy-addr parses
 * both sides on every call. An address's answer never changes, so it is worked out once per
 * address and hop (at most 1,000 kept; then the list starts again).
 */
export function trustProxySetting(value: boolean | number | string): boolean | number | TrustProxy {
  if (typeof value !== 'string') return value;
  const trust = proxyaddr.compile(value.split(',').map((entry) => entry.trim()));
  const known: Array<Map<string, boolean>> = [];
  let remembered = 0;
  return (address, hop) => {
    const answers = (known[hop] ??= new Map());
    let trusted = answers.get(address);
    if (trusted === undefined) {
      trusted = trust(address, hop);
      if (remembered >= MAX_REMEMBERED) {
        known.length = 0;
        remembered = 0;
      }
      (known[hop] ??= new Map()).set(address, trusted);
      remembered += 1;
    }
    return trusted;
  };
}
