/**
 * "Sign in with Procore" in a plain Express app, using only src/procore-auth's index. Run it with
 * `npx tsx examples/sign-in.ts` and the variables read below (README: "Add Procore sign-in to your
 * own Express app"); register `${APP_URL}/auth/callback` as the app's redirect URI at Procore.
 */
import { RedisStore } from 'connect-redis';
import { csrfSync } from 'csrf-sync';
import express, { type ErrorRequestHandler } from 'express';
import session from 'express-session';
import { Redis } from 'ioredis';
import { createProcoreAuth, SignInError } from '../src/procore-auth';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name}`);
  return value.replace(/\/+$/, '');
}

const appUrl = env('APP_URL');
const apiUrl = env('PROCORE_API_URL');
const redis = new Redis(env('REDIS_URL'));
const keys = env('TOKEN_ENCRYPTION_KEY').split(','); // 32 random bytes in base64; several to rotate keys

// The sign-in routes, the middleware for signed-in pages and fresh access tokens, in one call.
const auth = createProcoreAuth({
  clientId: env('PROCORE_CLIENT_ID'),
  clientSecret: env('PROCORE_CLIENT_SECRET'),
  loginUrl: env('PROCORE_LOGIN_URL'),
  apiUrl,
  redirectUri: `${appUrl}/auth/callback`,
  redis,
  keyPrefix: 'example:',
  tokenEncryptionKeys: keys.map((key) => Buffer.from(key.trim(), 'base64')),
});

// Sign-out is a POST; csrf-sync keeps other sites from sending it.
const csrf = csrfSync({ getTokenFromRequest: (req) => (req.body as { _csrf?: string })._csrf });

const page = (body: string): string => `<!doctype html><title>Procore sign-in example</title>${body}`;
const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const app = express();
app.use(express.urlencoded({ extended: false }));
app.use(
  session({
    store: new RedisStore({ client: redis, prefix: 'example:sess:' }),
    secret: env('SESSION_SECRET'),
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure: appUrl.startsWith('https:') },
  }),
);
app.use(csrf.csrfSynchronisedProtection);
app.use(auth.routes); // GET /auth/procore, GET /auth/callback, POST /logout

app.get('/', (req, res) => {
  if (req.session.auth) return res.redirect('/me');
  const notice = req.query.signed_out ? '<p>You are signed out.</p>' : '';
  res.send(page(`${notice}<p><a href="/auth/procore">Sign in with Procore</a></p>`));
});

// Every view asks Procore who is signed in, with an access token refreshed first when it is (about to be) expired.
app.get('/me', auth.requireSignIn, async (req, res) => {
  const headers = { Authorization: `Bearer ${await res.locals.procore.accessToken()}` };
  const answer = await fetch(`${apiUrl}/rest/v1.0/me`, { headers });
  if (!answer.ok) throw new Error(`Procore answered ${answer.status}`);
  const me = (await answer.json()) as { name: string };
  const signOut = `<form method="post" action="/logout"><input type="hidden" name="_csrf" value="${csrf.generateToken(req)}"><button>Sign out</button></form>`;
  res.send(page(`<p>Signed in as ${escapeHtml(me.name)}.</p>${signOut}`));
});

app.use(auth.handleSignedOut); // a revoked grant or a too-old sign-in: back to / signed out
const showError: ErrorRequestHandler = (error: Error & { status?: number }, _req, res, _next) => {
  const signIn = error instanceof SignInError;
  const what = signIn ? `Sign-in did not work (${error.code}).` : 'That did not work.';
  res.status(signIn ? 400 : (error.status ?? 500)).send(page(`<p>${what} <a href="/">Start again</a></p>`));
};
app.use(showError);

app.listen(Number(process.env.PORT ?? 3000), () => console.log(`Listening on ${appUrl}`));
