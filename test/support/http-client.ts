/**
 * A small browser stand-in for HTTP-level tests: keeps cookies per host, follows redirects by
 * hand (recording every hop) and can fill in and submit the emulator's sign-in form.
 */
export interface Hop {
  method: string;
  url: string;
  status: number;
  location?: string;
}

export interface ClientResponse {
  status: number;
  url: string;
  headers: Headers;
  body: string;
  hops: Hop[];
}

/** The session id in an express-session cookie value (`s:<id>.<signature>`, URL-encoded as sent). */
export function sessionIdOf(cookieValue: string): string {
  return decodeURIComponent(cookieValue).replace(/^s:/, '').split('.')[0]!;
}

/** Who signs in on the emulator's page: an emulator user (DEMO_USER, OTHER_USER) or any login and password. */
export interface SignInCredentials {
  login: string;
  password: string;
}

export class HttpClient {
  private readonly jar = new Map<string, Map<string, string>>();

  /** Cookies (name → value) this client holds for a host. */
  cookies(url: string): Map<string, string> {
    const host = new URL(url).host;
    let cookies = this.jar.get(host);
    if (!cookies) {
      cookies = new Map();
      this.jar.set(host, cookies);
    }
    return cookies;
  }

  /** The id of the express-session this client's cookie names at `appUrl`. */
  sessionId(appUrl: string, cookieName = 'procore-dashboard.sid'): string {
    const cookie = this.cookies(appUrl).get(cookieName);
    if (cookie === undefined) throw new Error(`No ${cookieName} cookie for ${appUrl}`);
    return sessionIdOf(cookie);
  }

  /** Copies another client's cookies for a host (e.g. to replay an old session cookie). */
  setCookie(url: string, name: string, value: string): void {
    this.cookies(url).set(name, value);
  }

  async request(
    method: string,
    url: string,
    options: { form?: Record<string, string>; headers?: Record<string, string>; follow?: boolean } = {},
  ): Promise<ClientResponse> {
    const hops: Hop[] = [];
    let currentMethod = method;
    let currentUrl = url;
    let form = options.form;
    for (let hop = 0; hop < 15; hop += 1) {
      const headers: Record<string, string> = { ...options.headers };
      const cookies = [...this.cookies(currentUrl)].map(([name, value]) => `${name}=${value}`).join('; ');
      if (cookies) headers.cookie = cookies;
      let body: string | undefined;
      if (form) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = new URLSearchParams(form).toString();
      }
      const response = await fetch(currentUrl, { method: currentMethod, headers, body, redirect: 'manual' });
      this.storeCookies(currentUrl, response.headers);
      const location = response.headers.get('location') ?? undefined;
      hops.push({ method: currentMethod, url: currentUrl, status: response.status, location });
      if (options.follow !== false && location && response.status >= 300 && response.status < 400) {
        await response.arrayBuffer();
        currentUrl = new URL(location, currentUrl).toString();
        if (response.status !== 307 && response.status !== 308) {
          currentMethod = 'GET';
          form = undefined;
        }
        continue;
      }
      return { status: response.status, url: currentUrl, headers: response.headers, body: await response.text(), hops };
    }
    throw new Error(`Too many redirects starting at ${url}`);
  }

  get(url: string, options?: { follow?: boolean; headers?: Record<string, string> }): Promise<ClientResponse> {
    return this.request('GET', url, options);
  }

  post(url: string, form: Record<string, string>, options?: { follow?: boolean }): Promise<ClientResponse> {
    return this.request('POST', url, { form, ...options });
  }

  /** Signs in through the app: /auth/procore → emulator form → callback. Returns the final page. */
  async signIn(
    appUrl: string,
    credentials: SignInCredentials,
    options: { next?: string; action?: 'allow' | 'deny' } = {},
  ): Promise<ClientResponse> {
    const start = options.next
      ? `${appUrl}/auth/procore?next=${encodeURIComponent(options.next)}`
      : `${appUrl}/auth/procore`;
    const loginPage = await this.get(start);
    const done = await this.submitLoginForm(loginPage, credentials, options.action ?? 'allow');
    return { ...done, hops: [...loginPage.hops, ...done.hops] };
  }

  /** Starts a sign-in on the app and stops before Procore: returns the `state` this browser now waits for. */
  async startSignIn(appUrl: string, options: { headers?: Record<string, string> } = {}): Promise<string> {
    const started = await this.get(`${appUrl}/auth/procore`, { follow: false, ...options });
    const state = started.status === 302 ? new URL(started.headers.get('location')!).searchParams.get('state') : null;
    if (!state) throw new Error(`The sign-in did not start (status ${started.status})`);
    return state;
  }

  /**
   * Starts a sign-in on the app (one browser tab: this client's cookies are the browser's), signs
   * in on the emulator's page and stops where Procore sends the browser back: returns that callback URL.
   */
  async signInUntilCallback(
    appUrl: string,
    credentials: SignInCredentials,
    options: { next?: string } = {},
  ): Promise<URL> {
    const start = options.next
      ? `${appUrl}/auth/procore?next=${encodeURIComponent(options.next)}`
      : `${appUrl}/auth/procore`;
    const submitted = await this.submitLoginForm(await this.get(start), credentials, 'allow', { follow: false });
    const location = submitted.headers.get('location');
    if (submitted.status !== 302 || !location)
      throw new Error(`Procore did not send the browser back (status ${submitted.status})`);
    return new URL(location);
  }

  /** Fills the emulator's sign-in form found in `page` and submits it, following redirects unless told not to. */
  async submitLoginForm(
    page: ClientResponse,
    credentials: SignInCredentials,
    action: 'allow' | 'deny' = 'allow',
    options: { follow?: boolean } = {},
  ): Promise<ClientResponse> {
    const formAction = /<form[^>]*action="([^"]+)"/.exec(page.body)?.[1];
    if (!formAction) throw new Error(`No sign-in form at ${page.url} (status ${page.status})`);
    const fields: Record<string, string> = {};
    for (const match of page.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
      fields[match[1]!] = decodeHtml(match[2]!);
    }
    return this.post(
      new URL(formAction, page.url).toString(),
      { ...fields, email: credentials.login, password: credentials.password, action },
      options,
    );
  }

  private storeCookies(url: string, headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const separator = pair!.indexOf('=');
      const name = pair!.slice(0, separator).trim();
      const value = pair!.slice(separator + 1).trim();
      const expired = attributes.some(
        (attribute) => /^\s*expires=Thu, 01 Jan 1970/i.test(attribute) || /^\s*max-age=0\b/i.test(attribute),
      );
      if (expired || value === '') this.cookies(url).delete(name);
      else this.cookies(url).set(name, value);
    }
  }
}

function decodeHtml(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The hidden CSRF field of the first form on a page. */
export function csrfTokenIn(body: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
  if (!token) throw new Error('No CSRF token on the page');
  return token;
}
