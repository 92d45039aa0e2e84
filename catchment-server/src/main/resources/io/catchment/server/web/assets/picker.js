// The file picker: browses a data source's crawled items (the same data as /integrations/items/list),
// selects files and folders, syncs them (/integrations/files/sync) and follows each file live
// (/user_files_v2 by request id) until it is READY or failed.
import { ApiError } from './api.js';
import { announce, badge, bytes, clear, h, sleep } from './ui.js';

const PAGE = 100;
const TERMINAL = new Set(['READY', 'SYNC_ERROR', 'SYNC_ABORTED']);
const FORMATS = ['PDF', 'DOCX', 'DOC', 'TXT', 'MD', 'HTML', 'CSV', 'XLSX', 'PPTX', 'JSON', 'RTF', 'PNG', 'JPG'];

export class Picker {
  constructor(mount, api, data) {
    this.mount = mount;
    this.api = api;
    this.dataSourceId = data.data_source_id;
    this.serviceName = data.service_name;
    this.selected = new Map(); // external_id → item
  }

  open() {
    this.mount.hidden = false;
    this.renderBrowser();
  }

  // ---- browsing ------------------------------------------------------------------------------

  renderBrowser() {
    this.selected.clear();
    this.touched = false;
    this.heading = h('h2', { id: 'picker-title', tabindex: '-1' }, `Choose from ${this.serviceName}`);
    this.crawl = h('p', { class: 'hint', id: 'crawl-status', role: 'status' });
    this.search = h('input', { id: 'picker-search', type: 'search', name: 'q', autocomplete: 'off' });
    this.format = h('select', { id: 'picker-format', name: 'format' },
      h('option', { value: '' }, 'Any format'), FORMATS.map((f) => h('option', { value: f }, f)));
    const form = h('form', { role: 'search', class: 'row', 'aria-label': 'Find files' },
      h('div', { class: 'field' }, h('label', { for: 'picker-search' }, 'Name contains'), this.search),
      h('div', { class: 'field' }, h('label', { for: 'picker-format' }, 'Format'), this.format),
      h('div', { class: 'field' }, h('button', { type: 'submit' }, 'Find')),
      h('div', { class: 'field' }, h('button', { type: 'button', onclick: () => { this.search.value = ''; this.format.value = ''; this.loadRoot(); } }, 'Show all')));
    form.addEventListener('submit', (e) => { e.preventDefault(); this.touched = true; this.loadRoot(); });
    this.tree = h('ul', { class: 'tree', id: 'picker-tree', 'aria-labelledby': 'picker-title' });
    this.count = h('p', { id: 'selection-count', 'aria-live': 'polite' }, 'Nothing selected.');
    this.submit = h('button', { class: 'primary', type: 'button', id: 'sync-selected', disabled: true }, 'Add selected');
    this.submit.addEventListener('click', () => this.syncSelected());
    this.error = h('div', { id: 'picker-error' });
    clear(this.mount, this.heading, this.crawl, form, this.error, this.tree,
      h('div', { class: 'toolbar' }, this.count, this.submit));
    this.heading.focus();
    this.loadRoot();
    this.followCrawl();
  }

  // Right after connecting the crawl may still be running: say so, and list again when it ends.
  async followCrawl() {
    for (let round = 0; round < 600; round += 1) {
      let ds;
      try {
        ds = await this.dataSource();
      } catch (e) {
        this.showError(e);
        return;
      }
      if (!this.crawl.isConnected) return;
      const crawling = !ds.source_items_synced_at
        && (ds.sync_status === 'QUEUED_FOR_SYNCING' || ds.sync_status === 'SYNCING');
      if (ds.sync_status === 'SYNC_ERROR') {
        this.crawl.textContent = `Listing your files failed: ${ds.sync_error_message || 'unknown error'}`;
        return;
      }
      // Listing again would fold what the user opened, so only an untouched tree is refreshed.
      if (!crawling) {
        if (round > 0) {
          this.crawl.textContent = 'All your files are listed.';
          if (!this.touched) this.loadRoot();
        }
        return;
      }
      this.crawl.textContent = `Listing your files from ${this.serviceName}…`;
      if (round > 0 && !this.touched) this.loadRoot();
      await sleep(2000);
    }
  }

  async dataSource() {
    const page = await this.api.post('/user_data_sources', { filters: { ids: [this.dataSourceId] } });
    if (!page.results.length) throw new Error('This connection no longer exists.');
    return page.results[0];
  }

  async loadRoot() {
    const name = this.search.value.trim();
    const format = this.format.value;
    const filtering = name !== '' || format !== '';
    const filters = {};
    if (name) filters.name = name;
    if (format) filters.file_formats = [format];
    if (!filtering) filters.root_files_only = true;
    const items = await this.loadInto(this.tree, { filters }, filtering);
    // A lone top-level container (My Drive, a site) is opened for the user: it is where everything is.
    if (!filtering && items.length === 1 && items[0].is_expandable) {
      this.tree.querySelector(':scope > li .toggle')?.click();
    }
  }

  async loadInto(list, query, flat, offset = 0) {
    let page;
    try {
      page = await this.api.post('/integrations/items/list', {
        data_source_id: this.dataSourceId, ...query, order_by: 'directories_first', order_dir: 'asc',
        pagination: { limit: PAGE, offset },
      });
    } catch (e) {
      this.showError(e);
      return [];
    }
    this.error.replaceChildren();
    if (offset === 0) list.replaceChildren();
    list.querySelector(':scope > li.more')?.remove();
    for (const item of page.items) list.append(this.itemRow(item, flat));
    if (offset === 0 && page.items.length === 0) {
      list.append(h('li', { class: 'hint' }, flat ? 'No items match.' : 'No items yet.'));
    }
    if (offset + page.items.length < page.count) {
      const more = h('button', { type: 'button', class: 'link' }, `Show more (${page.count - offset - page.items.length} left)`);
      more.addEventListener('click', () => this.loadInto(list, query, flat, offset + PAGE));
      list.append(h('li', { class: 'more' }, more));
    }
    return page.items;
  }

  itemRow(item, flat) {
    const id = `pick-${item.id}`;
    const box = h('input', { type: 'checkbox', id, disabled: !item.is_selectable });
    box.checked = this.selected.has(item.external_id);
    box.addEventListener('change', () => this.toggle(item, box.checked));
    const label = h('label', { for: id, class: 'name' }, item.name);
    const kind = item.is_expandable ? 'folder' : (item.file_format || item.item_type || '').toString();
    const meta = h('span', { class: 'meta' }, kind.toLowerCase());
    const row = h('div', { class: 'item' });
    const li = h('li', {}, row);
    if (item.is_expandable && !flat) {
      const children = h('ul', { id: `children-${item.id}`, hidden: true });
      const toggle = h('button', {
        type: 'button', class: 'toggle', 'aria-expanded': 'false', 'aria-controls': children.id,
        'aria-label': `Open ${item.name}`,
      }, '▸');
      toggle.addEventListener('click', (e) => {
        if (e.isTrusted) this.touched = true;
        this.expand(item, toggle, children);
      });
      row.append(toggle, box, label, meta);
      li.append(children);
    } else {
      row.append(h('span', { class: 'spacer', 'aria-hidden': 'true' }), box, label, meta);
    }
    return li;
  }

  async expand(item, toggle, children) {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(open));
    toggle.setAttribute('aria-label', `${open ? 'Close' : 'Open'} ${item.name}`);
    toggle.textContent = open ? '▾' : '▸';
    children.hidden = !open;
    if (open && !children.dataset.loaded) {
      children.dataset.loaded = 'yes';
      children.append(h('li', { class: 'hint' }, 'Loading…'));
      await this.loadInto(children, { parent_id: item.external_id }, false);
    }
  }

  toggle(item, on) {
    this.touched = true;
    if (on) this.selected.set(item.external_id, item);
    else this.selected.delete(item.external_id);
    const n = this.selected.size;
    this.count.textContent = n === 0 ? 'Nothing selected.' : `${n} selected.`;
    this.submit.disabled = n === 0;
  }

  // ---- syncing and progress -----------------------------------------------------------------

  async syncSelected() {
    const requestId = crypto.randomUUID();
    const ids = [...this.selected.values()].map((item) => (item.root_external_id && item.source === 'SHAREPOINT'
      ? { id: item.external_id, root_id: item.root_external_id } : item.external_id));
    this.submit.disabled = true;
    try {
      await this.api.post('/integrations/files/sync', { data_source_id: this.dataSourceId, ids, request_id: requestId });
    } catch (e) {
      this.submit.disabled = false;
      this.showError(e);
      return;
    }
    this.renderProgress(requestId, [...this.selected.values()]);
  }

  renderProgress(requestId, picked) {
    const heading = h('h2', { id: 'progress-title', tabindex: '-1' }, 'Adding your files');
    this.summary = h('p', { id: 'progress-summary' }, 'Starting…');
    this.bar = h('progress', { id: 'progress-bar', max: 1, value: 0, 'aria-labelledby': 'progress-summary' });
    this.list = h('ul', { class: 'progress-list', id: 'progress-list', 'aria-labelledby': 'progress-title' });
    this.error = h('div', { id: 'picker-error' });
    const again = h('button', { type: 'button', id: 'pick-more' }, 'Choose more files');
    again.addEventListener('click', () => { this.following = null; this.renderBrowser(); });
    clear(this.mount, heading, this.summary, this.bar, this.error, this.list, h('div', { class: 'toolbar' }, again));
    heading.focus();
    announce(`Adding ${picked.length} selected item${picked.length === 1 ? '' : 's'}.`);
    this.following = requestId;
    this.follow(requestId);
  }

  async follow(requestId) {
    let lastSummary = '';
    while (this.following === requestId) {
      let files;
      let ds;
      try {
        [files, ds] = await Promise.all([this.files(requestId), this.dataSource()]);
      } catch (e) {
        if (!(e instanceof ApiError) || e.status >= 500) { await sleep(3000); continue; }
        this.showError(e);
        return;
      }
      if (this.following !== requestId) return;
      const done = this.renderFiles(files);
      const reconciling = ds.sync_status === 'QUEUED_FOR_SYNCING' || ds.sync_status === 'SYNCING';
      const failed = files.filter((f) => f.sync_status === 'SYNC_ERROR').length;
      const ready = files.filter((f) => f.sync_status === 'READY').length;
      const text = files.length === 0
        ? 'Preparing your files…'
        : `${ready} of ${files.length} ready${failed ? `, ${failed} failed` : ''}.`;
      this.summary.textContent = done && !reconciling && files.length > 0 ? `Done: ${text}` : text;
      this.bar.max = Math.max(files.length, 1);
      this.bar.value = ready + failed;
      if (text !== lastSummary && done && !reconciling && files.length > 0) announce(this.summary.textContent);
      lastSummary = text;
      await sleep(done && !reconciling && files.length > 0 ? 10000 : 2000);
    }
  }

  async files(requestId) {
    const out = [];
    for (let offset = 0; offset < 5000; offset += 250) {
      const page = await this.api.post('/user_files_v2', {
        filters: { organization_user_data_source_id: [this.dataSourceId], request_ids: [requestId] },
        pagination: { limit: 250, offset }, order_by: 'name', order_dir: 'asc',
      });
      out.push(...page.results);
      if (out.length >= page.count || page.results.length === 0) break;
    }
    // Folders come along as records of their own; the user follows the files.
    return out.filter((f) => f.file_statistics && f.file_statistics.file_format);
  }

  renderFiles(files) {
    let done = true;
    const rows = files.map((f) => {
      if (!TERMINAL.has(f.sync_status)) done = false;
      const li = h('li', { 'data-file-id': f.id, 'data-status': f.sync_status },
        h('span', { class: 'name' }, f.name), badge(f.sync_status),
        f.file_statistics.file_size ? h('span', { class: 'meta' }, bytes(f.file_statistics.file_size)) : null);
      if (f.sync_status === 'SYNC_ERROR' && f.sync_error_message) {
        li.append(h('span', { class: 'error-text' }, f.sync_error_message));
      }
      return li;
    });
    this.list.replaceChildren(...rows);
    return done;
  }

  showError(e) {
    const message = e instanceof ApiError && e.status === 401
      ? 'This page has expired. Open the file picker again from the application.'
      : e.message;
    this.error.replaceChildren(h('p', { class: 'notice error', role: 'alert' }, message));
  }
}
