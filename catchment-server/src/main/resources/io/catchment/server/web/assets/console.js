// The operator console: an organization's admin signs in with an API key and looks after the
// organization's customers, data sources, files, webhooks and search. Every view calls the same
// public API as any client. The key lives in this tab's session storage only (never local storage,
// never a cookie) and is forgotten on "Sign out" or when the tab closes.
import { Api, ApiError } from './api.js';
import { announce, badge, bytes, clear, h, when } from './ui.js';

const KEY = 'catchment.console.api-key';
const TITLE = document.title;
const CUSTOMER = 'catchment.console.customer';
const PAGE = 10;
const FOLLOW_MS = 2000;
const FILE_STATUSES = ['READY', 'SYNC_ERROR', 'QUEUED_FOR_SYNC', 'QUEUED_FOR_OCR', 'SYNCING', 'EVALUATING_RESYNC',
  'RATE_LIMITED', 'DELAYED', 'SYNC_ABORTED', 'READY_TO_SYNC'];
const FILE_PENDING = new Set(['QUEUED_FOR_SYNC', 'QUEUED_FOR_OCR', 'SYNCING', 'EVALUATING_RESYNC', 'RATE_LIMITED', 'DELAYED']);
const DELIVERY_STATUSES = ['PENDING', 'DELIVERED', 'FAILED', 'ABANDONED'];
const FILE_ORDERS = [
  ['updated_at:desc', 'Recently updated first'], ['updated_at:asc', 'Least recently updated first'],
  ['name:asc', 'Name, A to Z'], ['file_size:desc', 'Largest first'], ['created_at:desc', 'Newest first'],
];

// ---- small builders ---------------------------------------------------------------------------

function srOnly(text) {
  return h('span', { class: 'sr-only' }, text);
}

function field(id, label, control, hint, size) {
  if (hint) control.setAttribute('aria-describedby', `${id}-hint`);
  return h('div', { class: size ? `field ${size}` : 'field' }, h('label', { for: id }, label), control,
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null);
}

function select(id, options, current) {
  const el = h('select', { id, name: id });
  for (const [value, label] of options) el.append(h('option', { value }, label));
  el.value = current;
  return el;
}

function heading(text) {
  return h('h2', { id: 'view-title', tabindex: '-1' }, text);
}

function errorNotice(message) {
  return h('p', { class: 'notice error', role: 'alert' }, message);
}

function plural(n, word, many = `${word}s`) {
  return `${n} ${n === 1 ? word : many}`;
}

// A table scrolls sideways inside its wrapper on small screens; a wrapper that scrolls becomes a
// labelled, focusable region so keyboard users can scroll it too.
const overflow = typeof ResizeObserver === 'function' ? new ResizeObserver((entries) => {
  for (const { target } of entries) {
    if (!target.isConnected) {
      overflow.unobserve(target);
    } else if (target.scrollWidth > target.clientWidth + 1) {
      target.setAttribute('tabindex', '0');
      target.setAttribute('role', 'region');
      target.setAttribute('aria-label', `${target.dataset.label} (scrolls sideways)`);
    } else {
      target.removeAttribute('tabindex');
      target.removeAttribute('role');
      target.removeAttribute('aria-label');
    }
  }
}) : null;

function table(id, label, columns, rows) {
  const wrap = h('div', { class: 'table-wrap', 'data-label': label },
    h('table', { id },
      h('caption', { class: 'sr-only' }, label),
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows)));
  if (overflow) overflow.observe(wrap);
  return wrap;
}

// Previous / Next over limit+offset paging.
function pager(id, label, offset, shown, count, go) {
  if (offset === 0 && shown >= count) return null; // one page: nothing to page through
  const prev = h('button', { type: 'button', 'data-focus-key': `${id}-prev`, disabled: offset === 0 }, 'Previous',
    srOnly(` page of ${label}`));
  const next = h('button', { type: 'button', 'data-focus-key': `${id}-next`, disabled: offset + shown >= count }, 'Next',
    srOnly(` page of ${label}`));
  prev.addEventListener('click', () => go(Math.max(0, offset - PAGE)));
  next.addEventListener('click', () => go(offset + PAGE));
  const where = count === 0 ? 'None' : `${offset + 1}–${offset + shown} of ${count}`;
  return h('div', { class: 'toolbar pager', id, role: 'group', 'aria-label': `Pages of ${label}` },
    prev, h('span', { class: 'hint' }, where), next);
}

// Re-rendering keeps keyboard focus on "the same" control (same data-focus-key), or the first
// fallback that still exists and is enabled, or else the view's heading; focus that was elsewhere
// stays where it was.
function focusedKey(container) {
  const active = document.activeElement;
  return active && container.contains(active) ? active.dataset.focusKey : undefined;
}

function refocus(container, key, ...fallbacks) {
  if (!key) return false;
  for (const k of [key, ...fallbacks]) {
    if (!k) continue;
    const el = container.querySelector(`[data-focus-key="${CSS.escape(k)}"]`);
    if (el && !el.disabled) {
      el.focus();
      return true;
    }
  }
  document.getElementById('view-title')?.focus();
  return false;
}

// ---- the console --------------------------------------------------------------------------------

class Console {
  constructor(root) {
    this.root = root;
    this.api = null;
    this.org = null;
    this.view = null;
    this.customer = '';
    this.reset();
  }

  reset() {
    this.state = {
      customers: { offset: 0, filter: '' },
      sources: { offset: 0, scope: 'customer', revoked: '' },
      files: { offset: 0, name: '', status: '', source: '', order: FILE_ORDERS[0][0] },
      webhooks: { offset: 0, selected: null, deliveryOffset: 0, deliveryStatus: '' },
      search: { query: '', k: 10, hybrid: false, weightA: '0.5', weightB: '0.5', tags: '', result: null },
    };
  }

  async start() {
    const key = sessionStorage.getItem(KEY);
    if (!key) {
      this.renderSignIn();
      return;
    }
    clear(this.root, h('p', { class: 'hint', role: 'status' }, 'Checking your session…'));
    try {
      await this.signIn(key, false);
    } catch (e) {
      sessionStorage.removeItem(KEY);
      this.renderSignIn(e instanceof ApiError && e.status === 401
        ? `Your saved API key was refused: ${e.message}. Sign in again.` : e.message);
    }
  }

  // ---- signing in and out

  renderSignIn(message, kind = 'error') {
    const input = h('input', {
      id: 'api-key', name: 'api-key', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false',
    });
    const notice = h('div', { id: 'sign-in-notice' });
    if (message) notice.append(kind === 'error' ? errorNotice(message) : h('p', { class: 'notice info' }, message));
    const submit = h('button', { type: 'submit', class: 'primary', id: 'sign-in-button' }, 'Sign in');
    const form = h('form', { class: 'card', id: 'sign-in', 'aria-labelledby': 'sign-in-title', novalidate: true },
      h('h2', { id: 'sign-in-title', tabindex: '-1' }, 'Sign in'),
      field('api-key', 'API key', input,
        'One of your organization’s API keys. It is kept in this browser tab only, until you sign out or close the tab.'),
      notice, submit);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const key = input.value.trim();
      if (!key) {
        notice.replaceChildren(errorNotice('Enter an API key.'));
        input.setAttribute('aria-invalid', 'true');
        input.focus();
        return;
      }
      submit.disabled = true;
      notice.replaceChildren(h('p', { class: 'hint', role: 'status' }, 'Signing in…'));
      try {
        await this.signIn(key, true);
      } catch (err) {
        submit.disabled = false;
        notice.replaceChildren(errorNotice(err instanceof ApiError && err.status === 401
          ? `Sign-in failed: ${err.message}` : err.message));
        input.setAttribute('aria-invalid', 'true');
        input.focus();
      }
    });
    clear(this.root, form);
    input.focus();
  }

  async signIn(key, interactive) {
    const api = new Api({ apiKey: key });
    const org = await api.get('/organization');
    sessionStorage.setItem(KEY, key);
    this.api = api;
    this.org = org;
    this.customer = sessionStorage.getItem(CUSTOMER) || '';
    this.renderShell();
    const wanted = location.hash.slice(1);
    this.show(VIEWS.some((v) => v.id === wanted) ? wanted : 'customers');
    if (interactive) announce(`Signed in to ${org.name}.`);
  }

  signOut(message) {
    if (this.view) this.view.stop();
    this.view = null;
    this.api = null;
    this.org = null;
    this.customer = '';
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(CUSTOMER);
    this.reset();
    history.replaceState(null, '', location.pathname);
    document.title = TITLE;
    if (message) {
      this.renderSignIn(message); // an alert: heard at once
    } else {
      this.renderSignIn('You are signed out.', 'info');
      announce('Signed out.');
    }
  }

  // ---- the shell: who is signed in, the current customer, the sections

  renderShell() {
    this.customerLine = h('p', { id: 'current-customer' });
    const signOut = h('button', { type: 'button', id: 'sign-out' }, 'Sign out');
    signOut.addEventListener('click', () => this.signOut());
    const bar = h('div', { class: 'toolbar console-bar' },
      h('p', { id: 'signed-in' }, 'Signed in to ', h('strong', { id: 'org-name' }, this.org.name), '.'),
      this.customerLine, signOut);
    this.tabs = new Map();
    const nav = h('nav', { class: 'tabs', 'aria-label': 'Console sections' });
    for (const v of VIEWS) {
      const button = h('button', { type: 'button', id: `tab-${v.id}`, 'data-view': v.id }, v.label);
      button.addEventListener('click', () => this.show(v.id));
      this.tabs.set(v.id, button);
      nav.append(button);
    }
    this.section = h('section', { id: 'view', 'aria-labelledby': 'view-title' });
    clear(this.root, bar, nav, this.section);
    this.showCustomer();
  }

  showCustomer() {
    if (this.customer) clear(this.customerLine, 'Current customer: ', h('strong', {}, this.customer));
    else clear(this.customerLine, 'No customer chosen.');
  }

  setCustomer(id) {
    this.customer = id;
    sessionStorage.setItem(CUSTOMER, id);
    this.state.files.offset = 0;
    this.state.files.source = '';
    this.state.search.result = null;
    this.showCustomer();
  }

  show(id, focus = true) {
    if (this.view) this.view.stop();
    const spec = VIEWS.find((v) => v.id === id);
    for (const [name, tab] of this.tabs) {
      if (name === id) tab.setAttribute('aria-current', 'page');
      else tab.removeAttribute('aria-current');
    }
    history.replaceState(null, '', `#${id}`);
    document.title = `${spec.label} · ${TITLE}`;
    this.view = new spec.View(this);
    this.section.replaceChildren();
    this.view.mount(this.section);
    if (focus) this.section.querySelector('#view-title').focus();
  }

  // A refused key ends the session; anything else is shown where it happened.
  fail(error, where) {
    if (error instanceof ApiError && error.status === 401) {
      this.signOut(`Your API key was refused: ${error.message}. Sign in again.`);
      return;
    }
    where.replaceChildren(errorNotice(error.message));
  }
}

// A view renders into the section and stops its timers when another view takes over.
class View {
  constructor(app) {
    this.app = app;
    this.api = app.api;
    this.state = app.state;
    this.live = true;
    this.timers = new Set();
  }

  stop() {
    this.live = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  later(fn, ms) {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (this.live) fn();
    }, ms);
    this.timers.add(t);
  }

  // Customer-scoped views need a current customer; say so and offer the way there.
  needsCustomer(section, title) {
    if (this.app.customer) return false;
    const go = h('button', { type: 'button', class: 'primary', id: 'choose-customer' }, 'Choose a customer');
    go.addEventListener('click', () => this.app.show('customers'));
    section.append(heading(title),
      h('p', { class: 'notice info' }, `${title} belong to one customer. Choose a customer first.`), go);
    return true;
  }

  fail(e, where) {
    if (this.live) this.app.fail(e, where);
  }

  // One API request of this view: `loading` (if any) in the status line meanwhile, a failure shown
  // in `where`. Answers null when the request failed or the view was left in the meantime.
  async request(send, where, loading) {
    if (loading) this.status.textContent = loading;
    let answer;
    try {
      answer = await send();
    } catch (e) {
      if (loading) this.status.textContent = '';
      this.fail(e, where);
      return null;
    }
    if (!this.live) return null;
    where.replaceChildren();
    return answer;
  }
}

// ---- customers ----------------------------------------------------------------------------------

class CustomersView extends View {
  mount(section) {
    const st = this.state.customers;
    const filter = h('input', { id: 'customer-filter', type: 'search', name: 'customer', autocomplete: 'off', value: st.filter });
    const all = h('button', { type: 'button', id: 'customers-all' }, 'Show all');
    const form = h('form', { class: 'row', role: 'search', 'aria-label': 'Find customers' },
      field('customer-filter', 'Customer id (exact)', filter),
      h('div', { class: 'field buttons' }, h('button', { type: 'submit' }, 'Find')),
      h('div', { class: 'field buttons' }, all));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      st.filter = filter.value.trim();
      st.offset = 0;
      this.load();
    });
    all.addEventListener('click', () => {
      filter.value = '';
      st.filter = '';
      st.offset = 0;
      this.load();
    });
    this.status = h('p', { class: 'hint', id: 'customers-status', role: 'status' });
    this.error = h('div', { id: 'customers-error' });
    this.list = h('div', { id: 'customers-list' });
    this.summary = h('div', { id: 'customer-summary' });
    section.append(heading('Customers'), form, this.status, this.error, this.list, this.summary);
    this.load();
    this.loadSummary();
  }

  async load() {
    const st = this.state.customers;
    const body = { pagination: { limit: PAGE, offset: st.offset }, order_by: 'created_at', order_dir: 'desc', include_count: true };
    if (st.filter) body.filters = { customer_ids: [st.filter] };
    const page = await this.request(() => this.api.post('/list_users', body), this.error, 'Loading customers…');
    if (!page) return;
    this.page = page;
    this.render();
  }

  render() {
    const st = this.state.customers;
    const { users } = this.page;
    const count = this.page.count ?? users.length;
    const key = focusedKey(this.list);
    this.status.textContent = users.length === 0
      ? (st.filter ? `No customer with the id “${st.filter}”.` : 'No customers yet.')
      : `Showing ${st.offset + 1}–${st.offset + users.length} of ${plural(count, 'customer')}.`;
    if (users.length === 0) {
      this.list.replaceChildren();
      return;
    }
    const rows = users.map((u) => {
      const id = u.organization_supplied_user_id;
      const current = id === this.app.customer;
      const choose = h('button', { type: 'button', 'data-focus-key': `choose-${id}`, 'aria-pressed': String(current) },
        'Choose', srOnly(` customer ${id}`));
      choose.addEventListener('click', () => this.choose(id));
      return h('tr', { 'data-customer': id, class: current ? 'current' : undefined },
        h('td', { class: 'wrap' }, id, current ? h('div', { class: 'hint' }, 'current customer') : null),
        h('td', {}, String(u.id)), h('td', {}, when(u.created_at)), h('td', {}, when(u.updated_at)),
        h('td', {}, choose));
    });
    clear(this.list,
      table('customers-table', 'Customers', ['Customer id', 'Internal id', 'Created', 'Updated', 'Current customer'], rows),
      pager('customers-pager', 'customers', st.offset, users.length, count, (offset) => { st.offset = offset; this.load(); }));
    refocus(this.list, key, 'customers-pager-next', 'customers-pager-prev');
  }

  choose(id) {
    this.app.setCustomer(id);
    announce(`${id} is now the current customer.`);
    this.render();
    this.loadSummary();
  }

  // The current customer at a glance: usage from /user, and how many data sources and files.
  async loadSummary() {
    const id = this.app.customer;
    if (!id) {
      this.summary.replaceChildren();
      return;
    }
    const title = h('h3', { id: 'summary-title' }, `Customer ${id}`);
    const body = h('div', {}, h('p', { class: 'hint', role: 'status' }, 'Loading…'));
    this.summary.replaceChildren(h('div', { class: 'card', role: 'region', 'aria-labelledby': 'summary-title' }, title, body));
    let user;
    let sources;
    let files;
    try {
      user = await this.api.post('/user', { customer_id: id });
      [sources, files] = await Promise.all([
        this.api.post('/user_data_sources', { pagination: { limit: 0 } }, { customer: id }),
        this.api.post('/user_files_v2', { pagination: { limit: 0 } }, { customer: id }),
      ]);
    } catch (e) {
      this.fail(e, body);
      return;
    }
    if (!this.live || this.app.customer !== id) return;
    const bySource = Object.entries(user.aggregate_num_files_by_source || {})
      .map(([source, n]) => `${source}: ${n}`).join(', ');
    const facts = [
      ['Files (any status)', String(files.count)],
      ['Ready files', String(user.num_files_synced)],
      ['Ready files by source', bySource || 'none'],
      ['Characters', String(user.num_characters_synced)],
      ['Tokens', String(user.num_tokens_synced)],
      ['Data sources', String(sources.count)],
    ];
    const go = (view, label) => {
      const b = h('button', { type: 'button', 'data-goto': view }, label);
      b.addEventListener('click', () => this.app.show(view));
      return b;
    };
    body.replaceChildren(
      h('dl', { class: 'facts', id: 'customer-facts' }, facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
      h('div', { class: 'toolbar' }, go('files', 'Files'), go('sources', 'Data sources'), go('search', 'Search')));
  }
}

// ---- data sources -------------------------------------------------------------------------------

class SourcesView extends View {
  mount(section) {
    const st = this.state.sources;
    if (!this.app.customer) st.scope = 'all';
    const customer = this.app.customer;
    const scopes = customer ? [['customer', `Only ${customer}’s`], ['all', 'Every customer’s']] : [['all', 'Every customer’s']];
    const scope = select('sources-scope', scopes, st.scope);
    const revoked = select('sources-revoked', [['', 'Any'], ['false', 'Connected'], ['true', 'Revoked']], st.revoked);
    const form = h('form', { class: 'row', 'aria-label': 'Filter data sources' },
      field('sources-scope', 'Data sources', scope), field('sources-revoked', 'Access', revoked),
      h('div', { class: 'field buttons' }, h('button', { type: 'submit' }, 'Show')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      st.scope = scope.value;
      st.revoked = revoked.value;
      st.offset = 0;
      this.load();
    });
    this.status = h('p', { class: 'hint', id: 'sources-status', role: 'status' });
    this.error = h('div', { id: 'sources-error' });
    this.list = h('div', { id: 'sources-list' });
    section.append(heading('Data sources'), form, this.status, this.error, this.list);
    this.load();
  }

  async load() {
    const st = this.state.sources;
    const mine = st.scope === 'customer' && this.app.customer;
    const body = { pagination: { limit: PAGE, offset: st.offset }, order_by: 'created_at', order_dir: 'desc' };
    if (st.revoked) body.filters = { revoked_access: st.revoked === 'true' };
    const page = await this.request(() => (mine
      ? this.api.post('/user_data_sources', body, { customer: this.app.customer })
      : this.api.post('/data_sources', body)), this.error, 'Loading data sources…');
    if (!page) return;
    this.render(page, mine);
    // Follow connections that are still syncing.
    if (page.results.some((d) => d.sync_status === 'QUEUED_FOR_SYNCING' || d.sync_status === 'SYNCING'
      || (d.sync_progress && (d.sync_progress.files_queued > 0 || d.sync_progress.files_syncing > 0)))) {
      this.later(() => this.load(), FOLLOW_MS);
    }
  }

  render(page, mine) {
    const st = this.state.sources;
    const { results, count } = page;
    const key = focusedKey(this.list);
    this.status.textContent = results.length === 0
      ? (mine ? `${this.app.customer} has no data sources.` : 'This organization has no data sources yet.')
      : `Showing ${st.offset + 1}–${st.offset + results.length} of ${plural(count, 'data source')}.`;
    if (results.length === 0) {
      this.list.replaceChildren();
      return;
    }
    const rows = results.map((d) => {
      const files = h('button', { type: 'button', 'data-focus-key': `files-${d.id}` }, 'Files',
        srOnly(` of data source ${d.id}`));
      files.addEventListener('click', () => {
        if (d.organization_supplied_user_id !== this.app.customer) this.app.setCustomer(d.organization_supplied_user_id);
        this.state.files.source = String(d.id);
        this.state.files.offset = 0;
        this.app.show('files');
      });
      return h('tr', { 'data-source-id': d.id, 'data-status': d.sync_status },
        h('td', {}, String(d.id)),
        h('td', {}, d.data_source_type),
        h('td', { class: 'wrap' }, account(d)),
        h('td', { class: 'wrap' }, d.organization_supplied_user_id),
        h('td', {}, badge(d.sync_status),
          d.sync_error_message ? h('div', { class: 'error-text' }, d.sync_error_message) : null),
        h('td', {}, when(d.last_synced_at)),
        h('td', { class: 'counts' }, progress(d.sync_progress)),
        h('td', {}, d.revoked_access ? badge('REVOKED') : 'Connected'),
        h('td', {}, files));
    });
    clear(this.list,
      table('sources-table', 'Data sources',
        ['ID', 'Type', 'Account', 'Customer', 'Sync status', 'Last synced', 'File counts', 'Access', 'Actions'], rows),
      pager('sources-pager', 'data sources', st.offset, results.length, count, (offset) => { st.offset = offset; this.load(); }));
    refocus(this.list, key, 'sources-pager-next', 'sources-pager-prev');
  }
}

// The account at the provider, and up to three short facts from its metadata.
function account(d) {
  const facts = Object.entries(d.data_source_metadata || {})
    .filter(([, v]) => (typeof v === 'string' && v.length <= 80) || typeof v === 'number' || typeof v === 'boolean')
    .slice(0, 3).map(([k, v]) => `${k}: ${v}`);
  return [d.data_source_external_id || '—', facts.length ? h('div', { class: 'hint' }, facts.join(' · ')) : null];
}

function progress(p) {
  if (!p) return '—';
  return `${p.files_ready} ready, ${p.files_failed} failed, ${p.files_queued} queued, ${p.files_syncing} syncing `
    + `(${p.files_total} in all)`;
}

// ---- files --------------------------------------------------------------------------------------

class FilesView extends View {
  mount(section) {
    if (this.needsCustomer(section, 'Files')) return;
    const st = this.state.files;
    this.confirming = null;
    this.watching = new Map(); // file id → name, for files being resynced
    const name = h('input', { id: 'files-name', type: 'search', name: 'name', autocomplete: 'off', value: st.name });
    const status = select('files-status', [['', 'Any status'], ...FILE_STATUSES.map((s) => [s, s])], st.status);
    this.source = select('files-source', [['', 'Any'], ...(st.source ? [[st.source, `Data source ${st.source}`]] : [])], st.source);
    const order = select('files-order', FILE_ORDERS, st.order);
    const reset = h('button', { type: 'button', id: 'files-reset' }, 'Reset');
    const form = h('form', { class: 'row', role: 'search', 'aria-label': 'Filter files' },
      field('files-name', 'Name contains', name), field('files-status', 'Status', status),
      field('files-source', 'Data source', this.source), field('files-order', 'Order', order),
      h('div', { class: 'field buttons' }, h('button', { type: 'submit', id: 'files-apply' }, 'Apply')),
      h('div', { class: 'field buttons' }, reset));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      Object.assign(st, { name: name.value.trim(), status: status.value, source: this.source.value, order: order.value, offset: 0 });
      this.confirming = null;
      this.load();
    });
    reset.addEventListener('click', () => {
      Object.assign(st, { name: '', status: '', source: '', order: FILE_ORDERS[0][0], offset: 0 });
      name.value = '';
      status.value = '';
      this.source.value = '';
      order.value = st.order;
      this.confirming = null;
      this.load();
    });
    this.status = h('p', { class: 'hint', id: 'files-status-line', role: 'status' });
    this.error = h('div', { id: 'files-error' });
    this.list = h('div', { id: 'files-list' });
    this.heading = heading(`Files of ${this.app.customer}`);
    section.append(this.heading, form, this.status, this.error, this.list);
    this.loadSources();
    this.load();
  }

  // The customer's data sources, to filter by.
  async loadSources() {
    let page;
    try {
      page = await this.api.post('/user_data_sources', { pagination: { limit: 100 } }, { customer: this.app.customer });
    } catch (e) {
      this.fail(e, this.error);
      return;
    }
    if (!this.live) return;
    const current = this.source.value;
    const options = [['', 'Any'],
      ...page.results.map((d) => [String(d.id), `${d.data_source_type} ${d.data_source_external_id || ''} (${d.id})`])];
    if (current && !options.some(([v]) => v === current)) options.push([current, `Data source ${current}`]);
    this.source.replaceChildren(...options.map(([v, l]) => h('option', { value: v }, l)));
    this.source.value = current;
  }

  async load() {
    const st = this.state.files;
    const [orderBy, orderDir] = st.order.split(':');
    const filters = {};
    if (st.name) filters.name = st.name;
    if (st.status) filters.sync_statuses = [st.status];
    if (st.source) filters.organization_user_data_source_id = [Number(st.source)];
    const body = { filters, pagination: { limit: PAGE, offset: st.offset }, order_by: orderBy, order_dir: orderDir };
    const page = await this.request(() => this.api.post('/user_files_v2', body, { customer: this.app.customer }),
      this.error, this.page ? null : 'Loading files…');
    if (!page) return;
    this.page = page;
    this.render();
    for (const f of page.results) {
      if (this.watching.has(f.id) && !FILE_PENDING.has(f.sync_status)) {
        this.watching.delete(f.id);
        announce(f.sync_status === 'READY' ? `${f.name} is ready.`
          : `${f.name}: ${f.sync_status.replaceAll('_', ' ').toLowerCase()}${f.sync_error_message ? ` (${f.sync_error_message})` : ''}.`);
      }
    }
    if (page.results.some((f) => FILE_PENDING.has(f.sync_status))) this.later(() => this.load(), FOLLOW_MS);
  }

  render() {
    const st = this.state.files;
    const { results, count } = this.page;
    const key = focusedKey(this.list);
    const filtered = st.name || st.status || st.source;
    this.status.textContent = results.length === 0
      ? (filtered ? 'No files match these filters.' : `${this.app.customer} has no files yet.`)
      : `Showing ${st.offset + 1}–${st.offset + results.length} of ${plural(count, 'file')}.`;
    if (results.length === 0) {
      this.list.replaceChildren();
      if (st.offset > 0 && count > 0) { // the last page emptied (deletes): step back
        st.offset = Math.max(0, st.offset - PAGE);
        this.load();
      }
      return;
    }
    const rows = [];
    for (const f of results) {
      rows.push(this.row(f));
      if (this.confirming === f.id) rows.push(this.confirmRow(f));
    }
    clear(this.list,
      table('files-table', 'Files', ['Name', 'Source', 'Status', 'Error', 'Size', 'Updated', 'Actions'], rows),
      pager('files-pager', 'files', st.offset, results.length, count, (offset) => {
        st.offset = offset;
        this.confirming = null;
        this.load();
      }));
    const id = key && key.replace(/^[a-z]+-/, '');
    refocus(this.list, key, id && `delete-${id}`, 'files-pager-next', 'files-pager-prev');
  }

  row(f) {
    const name = f.name || `File ${f.id}`;
    const resync = h('button', {
      type: 'button', 'data-focus-key': `resync-${f.id}`,
      // Folders have no content of their own; a file still in the pipeline cannot start over.
      disabled: FILE_PENDING.has(f.sync_status) || f.file_contents_deleted || !(f.file_statistics && f.file_statistics.file_format),
    }, 'Resync', srOnly(` ${name}`));
    resync.addEventListener('click', () => this.resync(f));
    const del = h('button', { type: 'button', 'data-focus-key': `delete-${f.id}`, 'aria-expanded': String(this.confirming === f.id) },
      'Delete', srOnly(` ${name}`));
    del.addEventListener('click', () => this.askDelete(f));
    const size = f.file_statistics ? f.file_statistics.file_size : null;
    return h('tr', { 'data-file-id': f.id, 'data-status': f.sync_status },
      h('td', { class: 'wrap' }, name, h('div', { class: 'hint' }, `ID ${f.id}`)),
      h('td', {}, f.source, f.organization_user_data_source_id
        ? h('div', { class: 'hint' }, `data source ${f.organization_user_data_source_id}`) : null),
      h('td', {}, badge(f.sync_status)),
      h('td', { class: 'wrap' }, f.sync_error_message ? h('span', { class: 'error-text' }, f.sync_error_message) : ''),
      h('td', { class: 'nowrap' }, bytes(size)),
      h('td', {}, when(f.updated_at)),
      h('td', {}, h('div', { class: 'actions' }, resync, del)));
  }

  // The inline confirmation: a group right under the file's row, focus on its safe choice.
  confirmRow(f) {
    const name = f.name || `File ${f.id}`;
    const textId = `confirm-text-${f.id}`;
    const cancel = h('button', { type: 'button', 'data-focus-key': `cancel-${f.id}` }, 'Cancel');
    const confirm = h('button', { type: 'button', class: 'danger', 'data-focus-key': `confirm-${f.id}` }, 'Delete file');
    cancel.addEventListener('click', () => this.cancelDelete(f));
    confirm.addEventListener('click', () => this.deleteFile(f, confirm, cancel));
    const group = h('div', { class: 'confirm', role: 'group', 'aria-labelledby': textId, id: `confirm-${f.id}` },
      h('p', { id: textId }, `Delete “${name}”? Its chunks leave the search index at once. This cannot be undone.`),
      cancel, confirm);
    group.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        this.cancelDelete(f);
      }
    });
    return h('tr', { class: 'confirm-row', 'data-confirm-for': f.id }, h('td', { colspan: '7' }, group));
  }

  askDelete(f) {
    this.confirming = f.id;
    this.render();
    refocus(this.list, `cancel-${f.id}`);
  }

  cancelDelete(f) {
    this.confirming = null;
    this.render();
    refocus(this.list, `delete-${f.id}`);
  }

  async deleteFile(f, confirm, cancel) {
    // Never send an empty filter: delete_files_v2 would take it as "every file".
    if (!Number.isSafeInteger(f.id) || f.id <= 0) return;
    confirm.disabled = true;
    cancel.disabled = true;
    try {
      await this.api.post('/delete_files_v2', { filters: { ids: [f.id] } }, { customer: this.app.customer });
    } catch (e) {
      confirm.disabled = false;
      cancel.disabled = false;
      this.fail(e, this.error);
      return;
    }
    if (!this.live) return;
    this.confirming = null;
    announce(`Deleted ${f.name || `file ${f.id}`}.`);
    await this.load();
    this.heading.focus();
  }

  async resync(f) {
    let updated;
    try {
      updated = await this.api.post('/resync_file', { file_id: f.id }, { customer: this.app.customer });
    } catch (e) {
      this.fail(e, this.error);
      return;
    }
    if (!this.live) return;
    this.watching.set(f.id, f.name);
    announce(`Resyncing ${f.name || `file ${f.id}`} (${updated.sync_status.replaceAll('_', ' ').toLowerCase()}).`);
    this.load();
  }
}

// ---- webhooks -----------------------------------------------------------------------------------

class WebhooksView extends View {
  mount(section) {
    this.status = h('p', { class: 'hint', id: 'webhooks-status', role: 'status' });
    this.error = h('div', { id: 'webhooks-error' });
    this.list = h('div', { id: 'webhooks-list' });
    this.deliveries = h('div', { id: 'deliveries' });
    section.append(heading('Webhooks'),
      h('p', { class: 'hint' }, 'Signing keys are shown once, when a webhook is added; they never appear here.'),
      this.status, this.error, this.list, this.deliveries);
    this.load();
    if (this.state.webhooks.selected) this.showDeliveries(false);
  }

  async load() {
    const st = this.state.webhooks;
    const page = await this.request(() => this.api.post('/webhooks', {
      pagination: { limit: PAGE, offset: st.offset }, order_by: 'created_at', order_dir: 'desc',
    }), this.error, 'Loading webhooks…');
    if (!page) return;
    const { results, count } = page;
    const key = focusedKey(this.list);
    this.status.textContent = results.length === 0 ? 'No webhooks yet.'
      : `Showing ${st.offset + 1}–${st.offset + results.length} of ${plural(count, 'webhook')}.`;
    if (results.length === 0) {
      this.list.replaceChildren();
      return;
    }
    const rows = results.map((w) => {
      const chosen = st.selected && st.selected.id === w.id;
      const show = h('button', { type: 'button', 'data-focus-key': `deliveries-${w.id}`, 'aria-pressed': String(Boolean(chosen)) },
        'Deliveries', srOnly(` of webhook ${w.id}`));
      show.addEventListener('click', () => {
        st.selected = { id: w.id, url: w.url };
        st.deliveryOffset = 0;
        this.load();
        this.showDeliveries(true);
      });
      return h('tr', { 'data-webhook-id': w.id, class: chosen ? 'current' : undefined },
        h('td', {}, String(w.id)),
        h('td', { class: 'wrap' }, w.url),
        h('td', {}, badge(w.status), w.status_reason ? h('div', { class: 'error-text' }, w.status_reason) : null),
        h('td', { class: 'wrap' }, w.event_types && w.event_types.length ? w.event_types.join(', ') : 'All events'),
        h('td', {}, when(w.created_at)),
        h('td', {}, show));
    });
    clear(this.list,
      table('webhooks-table', 'Webhooks', ['ID', 'URL', 'Status', 'Events', 'Added', 'Log'], rows),
      pager('webhooks-pager', 'webhooks', st.offset, results.length, count, (offset) => { st.offset = offset; this.load(); }));
    refocus(this.list, key, 'webhooks-pager-next', 'webhooks-pager-prev');
  }

  showDeliveries(focus) {
    const st = this.state.webhooks;
    const { id, url } = st.selected;
    const title = h('h3', { id: 'deliveries-title', tabindex: '-1' }, `Deliveries to webhook ${id}`);
    const status = select('deliveries-status', [['', 'Any status'], ...DELIVERY_STATUSES.map((s) => [s, s])], st.deliveryStatus);
    const form = h('form', { class: 'row', 'aria-label': 'Filter deliveries' },
      field('deliveries-status', 'Status', status),
      h('div', { class: 'field buttons' }, h('button', { type: 'submit', id: 'deliveries-refresh' }, 'Show')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      st.deliveryStatus = status.value;
      st.deliveryOffset = 0;
      this.loadDeliveries();
    });
    this.deliveryStatus = h('p', { class: 'hint', id: 'deliveries-status-line', role: 'status' });
    this.deliveryError = h('div', { id: 'deliveries-error' });
    this.deliveryList = h('div', { id: 'deliveries-list' });
    this.deliveries.replaceChildren(h('div', { class: 'card', role: 'region', 'aria-labelledby': 'deliveries-title' },
      title, h('p', { class: 'hint wrap' }, url), form, this.deliveryStatus, this.deliveryError, this.deliveryList));
    if (focus) title.focus();
    this.loadDeliveries();
  }

  async loadDeliveries() {
    const st = this.state.webhooks;
    const { id } = st.selected;
    const body = { webhook_id: id, pagination: { limit: PAGE, offset: st.deliveryOffset }, order_dir: 'desc' };
    if (st.deliveryStatus) body.status = st.deliveryStatus;
    const page = await this.request(() => this.api.post('/webhooks/deliveries', body), this.deliveryError, null);
    if (!page || !st.selected || st.selected.id !== id) return;
    const { results, count } = page;
    const key = focusedKey(this.deliveryList);
    this.deliveryStatus.textContent = results.length === 0
      ? (st.deliveryStatus ? `No ${st.deliveryStatus.toLowerCase()} deliveries.` : 'Nothing was sent to this webhook yet.')
      : `Showing ${st.deliveryOffset + 1}–${st.deliveryOffset + results.length} of ${plural(count, 'delivery', 'deliveries')}.`;
    if (results.length === 0) {
      this.deliveryList.replaceChildren();
      return;
    }
    const rows = results.map((d) => h('tr', { 'data-delivery-id': d.id, 'data-status': d.status },
      h('td', {}, String(d.event_id)),
      h('td', {}, d.webhook_type),
      h('td', {}, badge(d.status)),
      h('td', {}, String(d.attempts)),
      h('td', {}, d.last_status === null || d.last_status === undefined ? '—' : String(d.last_status)),
      h('td', { class: 'wrap' }, d.last_error ? h('span', { class: 'error-text' }, d.last_error) : ''),
      h('td', {}, when(d.occurred_at)),
      h('td', {}, d.delivered_at ? when(d.delivered_at) : (d.next_attempt_at ? `next try ${when(d.next_attempt_at)}` : '—'))));
    clear(this.deliveryList,
      table('deliveries-table', `Deliveries to webhook ${id}`,
        ['Event', 'Type', 'Status', 'Attempts', 'Last HTTP status', 'Last error', 'Occurred', 'Delivered'], rows),
      pager('deliveries-pager', 'deliveries', st.deliveryOffset, results.length, count, (offset) => {
        st.deliveryOffset = offset;
        this.loadDeliveries();
      }));
    refocus(this.deliveryList, key, 'deliveries-pager-next', 'deliveries-pager-prev');
    if (results.some((d) => d.status === 'PENDING')) this.later(() => this.loadDeliveries(), FOLLOW_MS);
  }
}

// ---- search playground --------------------------------------------------------------------------

class SearchView extends View {
  mount(section) {
    if (this.needsCustomer(section, 'Search')) return;
    const st = this.state.search;
    const query = h('input', {
      id: 'search-query', type: 'search', name: 'query', autocomplete: 'off', required: true, value: st.query,
    });
    const k = h('input', { id: 'search-k', type: 'number', name: 'k', min: '1', max: '1000', step: '1', value: String(st.k) });
    const hybrid = h('input', { id: 'search-hybrid', type: 'checkbox', name: 'hybrid', checked: st.hybrid });
    const weight = (id, name, value) => h('input', { id, type: 'number', name, min: '0', max: '1', step: '0.05', value });
    const weightA = weight('search-weight-a', 'weight_a', st.weightA);
    const weightB = weight('search-weight-b', 'weight_b', st.weightB);
    const weights = h('fieldset', { id: 'search-weights', disabled: !st.hybrid, hidden: !st.hybrid },
      h('legend', {}, 'Hybrid weights (they add up to 1)'),
      h('div', { class: 'row' }, field('search-weight-a', 'Semantic (weight_a)', weightA),
        field('search-weight-b', 'Keyword (weight_b)', weightB)));
    // Keep the two weights summing to 1 as the user edits either.
    const complement = (from, to) => {
      const v = Number(from.value);
      if (from.value !== '' && Number.isFinite(v) && v >= 0 && v <= 1) to.value = String(Math.round((1 - v) * 1000) / 1000);
    };
    weightA.addEventListener('input', () => complement(weightA, weightB));
    weightB.addEventListener('input', () => complement(weightB, weightA));
    hybrid.setAttribute('aria-controls', 'search-weights');
    hybrid.addEventListener('change', () => {
      weights.disabled = !hybrid.checked;
      weights.hidden = !hybrid.checked;
    });
    const tags = h('textarea', { id: 'search-tags', name: 'tags_v2', rows: '4', spellcheck: 'false' });
    tags.value = st.tags;
    this.tagsError = h('p', { class: 'error-text', id: 'search-tags-error', hidden: true });
    const form = h('form', { id: 'search-form', role: 'search', 'aria-label': 'Search this customer’s files' },
      h('div', { class: 'row' }, field('search-query', 'Query', query), field('search-k', 'Results (k)', k, undefined, 'narrow')),
      h('div', { class: 'check' }, hybrid, h('label', { for: 'search-hybrid' }, 'Hybrid search (semantic and keyword)')),
      weights,
      field('search-tags', 'tags_v2 filter (JSON, optional)', tags,
        'For example {"AND": [{"key": "team", "value": "support"}]}. Leave empty to search every file.'),
      this.tagsError,
      h('button', { type: 'submit', class: 'primary', id: 'search-submit' }, 'Search'));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      Object.assign(st, {
        query: query.value, k: k.value, hybrid: hybrid.checked, weightA: weightA.value, weightB: weightB.value, tags: tags.value,
      });
      this.search(query, tags);
    });
    this.status = h('p', { class: 'hint', id: 'search-status', role: 'status' });
    this.error = h('div', { id: 'search-error' });
    this.results = h('div', { id: 'search-results' });
    section.append(heading(`Search ${this.app.customer}’s files`), form, this.status, this.error, this.results);
    if (st.result) this.render(st.result.query, st.result.answer);
  }

  async search(queryInput, tagsInput) {
    const st = this.state.search;
    this.error.replaceChildren();
    this.tagsError.hidden = true;
    this.tagsError.textContent = '';
    tagsInput.removeAttribute('aria-invalid');
    tagsInput.setAttribute('aria-describedby', 'search-tags-hint');
    if (!st.query.trim()) {
      this.error.replaceChildren(errorNotice('Enter a query.'));
      queryInput.focus();
      return;
    }
    const body = { query: st.query, k: Number(st.k), include_tags: true };
    if (st.hybrid) {
      body.hybrid_search = true;
      body.hybrid_search_tuning_parameters = { weight_a: Number(st.weightA), weight_b: Number(st.weightB) };
    }
    if (st.tags.trim()) {
      try {
        body.tags_v2 = JSON.parse(st.tags);
      } catch (e) {
        this.tagsError.textContent = `tags_v2 is not valid JSON: ${e.message}`;
        this.tagsError.hidden = false;
        tagsInput.setAttribute('aria-invalid', 'true');
        tagsInput.setAttribute('aria-describedby', 'search-tags-error search-tags-hint');
        this.status.textContent = '';
        tagsInput.focus();
        return;
      }
    }
    this.status.textContent = 'Searching…';
    let answer;
    try {
      answer = await this.api.post('/embeddings', body, { customer: this.app.customer });
    } catch (e) {
      this.status.textContent = '';
      if (e instanceof ApiError && e.status === 422) {
        this.error.replaceChildren(errorNotice(`The search was refused: ${e.message}`));
      } else {
        this.fail(e, this.error);
      }
      return;
    }
    if (!this.live) return;
    st.result = { query: st.query, answer };
    this.render(st.query, answer);
  }

  render(query, answer) {
    const docs = answer.documents || [];
    this.status.textContent = `${docs.length === 0 ? 'No results' : plural(docs.length, 'result')} for “${query}”.`;
    if (docs.length === 0) {
      clear(this.results, h('p', { class: 'empty', id: 'search-empty' }, 'No results.'),
        answer.notice ? h('p', { class: 'notice info' }, answer.notice) : null);
      return;
    }
    const items = docs.map((d) => h('li', { 'data-file-id': d.file_id, class: 'card' },
      h('div', { class: 'result-head' },
        h('span', { class: 'rank' }, `#${d.rank}`),
        h('strong', { class: 'wrap' }, d.source || `File ${d.file_id}`),
        h('span', { class: 'score' }, `score ${Number(d.score).toFixed(4)}`)),
      h('p', { class: 'hint' }, `File ${d.file_id}`, d.source_type ? ` · ${d.source_type}` : '',
        ` · chunk ${d.chunk_index}`, tagText(d.tags)),
      h('p', { class: 'chunk' }, d.content)));
    this.results.replaceChildren(h('ol', { class: 'results', 'aria-label': 'Search results' }, items));
  }
}

function tagText(tags) {
  const entries = Object.entries(tags || {});
  return entries.length ? ` · tags ${entries.map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('|') : v}`).join(', ')}` : '';
}

const VIEWS = [
  { id: 'customers', label: 'Customers', View: CustomersView },
  { id: 'sources', label: 'Data sources', View: SourcesView },
  { id: 'files', label: 'Files', View: FilesView },
  { id: 'webhooks', label: 'Webhooks', View: WebhooksView },
  { id: 'search', label: 'Search', View: SearchView },
];

document.getElementById('boot')?.remove();
new Console(document.getElementById('console')).start();
