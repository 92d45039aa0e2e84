// The public API, called exactly as any client calls it: with a customer's access token
// ("Token …", end-user pages) or an organization's API key ("Bearer …", the console).

export class ApiError extends Error {
  constructor(status, detail) {
    super(describe(detail) || `HTTP ${status}`);
    this.status = status;
    this.detail = detail;
  }
}

// Carbon's error shapes: {"detail": "text"} or, for validation, {"detail": [{loc, msg, type}]}.
function describe(detail) {
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    return detail.map((p) => `${(p.loc || []).filter((l) => l !== 'body').join('.')}: ${p.msg}`).join('; ');
  }
  return '';
}

export class Api {
  // credentials: {token: {access_token, refresh_token}, onTokens(pair)} or {apiKey}
  constructor(credentials) {
    this.credentials = credentials;
  }

  get(path, options = {}) {
    return this.call('GET', path, undefined, options);
  }

  post(path, body, options = {}) {
    return this.call('POST', path, body, options);
  }

  delete(path, options = {}) {
    return this.call('DELETE', path, undefined, options);
  }

  async call(method, path, body, options, retried = false) {
    const headers = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.credentials.apiKey) {
      headers.authorization = `Bearer ${this.credentials.apiKey}`;
      if (options.customer !== undefined) headers['customer-id'] = options.customer;
    } else {
      headers.authorization = `Token ${this.credentials.token.access_token}`;
    }
    const response = await fetch(path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit', cache: 'no-store',
    });
    if (response.status === 401 && !retried && this.credentials.token && await this.refresh()) {
      return this.call(method, path, body, options, true);
    }
    // Rate limits are per API key and shared with the application: wait as told, once.
    if (response.status === 429 && !retried) {
      const seconds = Math.min(Number(response.headers.get('retry-after')) || 5, 60);
      await new Promise((resolve) => { setTimeout(resolve, seconds * 1000); });
      return this.call(method, path, body, options, true);
    }
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    if (!response.ok) throw new ApiError(response.status, json && json.detail !== undefined ? json.detail : text);
    return json;
  }

  // An expired access token is renewed once with its refresh token (beyond Carbon's API).
  async refresh() {
    const refreshToken = this.credentials.token.refresh_token;
    if (!refreshToken) return false;
    const response = await fetch('/auth/v1/refresh_access_token', {
      method: 'POST', headers: { 'content-type': 'application/json' }, credentials: 'omit',
      body: JSON.stringify({ refresh_token: refreshToken }),
    });
    if (!response.ok) return false;
    const pair = await response.json();
    this.credentials.token = pair;
    if (this.credentials.onTokens) this.credentials.onTokens(pair);
    return true;
  }
}
