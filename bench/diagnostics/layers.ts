/** CPU per request of the baseline page with each app-wide layer added (see layers-server.ts). */
import { randomBytes } from 'node:crypto';
import { freePort, startOwnedRedis } from '../../test/support/redis-server';
import { startChild, cpuTimeMs } from '../support/processes';
import { load } from '../support/load';
async function main() {
  const redis = await startOwnedRedis();
  const env = {
    NODE_ENV: 'production',
    REDIS_URL: redis.url,
    SESSION_SECRET: randomBytes(48).toString('base64'),
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    APP_URL: 'https://127.0.0.1:1',
    TRUST_PROXY: 'loopback',
    REDIS_KEY_PREFIX: 'e:',
  };
  for (const layers of (process.env.SETS ?? ';log;metrics;helmet;csrf,body;log,metrics,helmet,csrf,body').split(';')) {
    const port = await freePort();
    const child = await startChild(
      'bench/diagnostics/layers-server.ts',
      { ...env, PORT: String(port), LAYERS: layers },
      port,
    );
    const h = { 'x-forwarded-proto': 'https' };
    const login = await fetch(`${child.url}/login`, { headers: h });
    const cookie = login.headers
      .getSetCookie()
      .map((l) => l.split(';')[0])
      .join('; ');
    await load({ url: `${child.url}/projects`, headers: { ...h, cookie }, connections: 10, duration: 2 });
    const before = cpuTimeMs(child.pid)!;
    const r = await load({ url: `${child.url}/projects`, headers: { ...h, cookie }, connections: 10, duration: 4 });
    console.log(
      `${layers.padEnd(50)} ${((cpuTimeMs(child.pid)! - before) / r.requests).toFixed(3)} ms CPU/req  ${r.requestsPerSecond.toFixed(0)} req/s`,
    );
    await child.stop();
  }
  await redis.destroy();
}
void main();
