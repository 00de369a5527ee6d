/** The few HTML pages the login host shows: the sign-in form, the out-of-band code page, errors. */

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );
}

export function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Procore Emulator</title>
<link rel="icon" href="data:,">
<style>
  body { font-family: system-ui, sans-serif; background: #f4f5f6; color: #1d2327; margin: 0; }
  main { max-width: 26rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
  h1 { font-size: 1.4rem; margin-top: 0; }
  label { display: block; margin-top: 1rem; font-weight: 600; }
  input[type=email], input[type=password] { width: 100%; box-sizing: border-box; padding: .5rem; margin-top: .25rem; font-size: 1rem; }
  .actions { margin-top: 1.5rem; display: flex; gap: .75rem; }
  button { padding: .55rem 1.2rem; font-size: 1rem; cursor: pointer; }
  button[value=allow] { background: #c2410c; color: #fff; border: 0; border-radius: 4px; } /* 5.2:1 with white (WCAG AA) */
  .error { color: #b00020; background: #fdecee; padding: .5rem .75rem; border-radius: 4px; }
  .hint { color: #555; font-size: .9rem; }
  code#authorization-code { display: block; font-size: 1.1rem; padding: .75rem; background: #f4f5f6; word-break: break-all; user-select: all; }
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export interface LoginFormParams {
  responseType: string;
  clientId: string;
  redirectUri: string;
  state: string | undefined;
  email?: string;
  error?: string;
  /** Printed on the page as a hint (the documented demo account). */
  demo?: { login: string; password: string };
}

export function loginPage(params: LoginFormParams): string {
  const hidden = (name: string, value: string | undefined): string =>
    value === undefined ? '' : `<input type="hidden" name="${name}" value="${escapeHtml(value)}">\n`;
  const error = params.error ? `<p class="error" role="alert" id="login-error">${escapeHtml(params.error)}</p>\n` : '';
  const hint = params.demo
    ? `<p class="hint" id="demo-credentials">Demo account: <strong>${escapeHtml(params.demo.login)}</strong> with password <strong>${escapeHtml(params.demo.password)}</strong></p>\n`
    : '';
  return layout(
    'Sign in',
    `<h1>Sign in to Procore</h1>
<p>An application is asking to access your Procore account.</p>
${error}<form method="post" action="/oauth/authorize">
${hidden('response_type', params.responseType)}${hidden('client_id', params.clientId)}${hidden('redirect_uri', params.redirectUri)}${hidden('state', params.state)}<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(params.email ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<div class="actions">
<button type="submit" name="action" value="allow">Sign in</button>
<button type="submit" name="action" value="deny" formnovalidate>Deny</button>
</div>
</form>
${hint}`,
  );
}

export function codePage(code: string, lifetimeSeconds: number): string {
  const minutes = Math.max(1, Math.round(lifetimeSeconds / 60));
  return layout(
    'Authorization code',
    `<h1>Authorization code</h1>
<p>Copy this code and paste it into the application:</p>
<code id="authorization-code">${escapeHtml(code)}</code>
<p class="hint">The code works once and expires in ${minutes} minute${minutes === 1 ? '' : 's'}.</p>`,
  );
}

export function errorPage(title: string, message: string, id = 'authorization-error'): string {
  return layout(
    title,
    `<h1>${escapeHtml(title)}</h1>\n<p class="error" role="alert" id="${escapeHtml(id)}">${escapeHtml(message)}</p>`,
  );
}
