// Syncing connected sources through the SDK: integrations.syncDataSourceItems (crawl the account's
// items), integrations.listDataSourceItems (browse them), integrations.syncFiles and
// integrations.syncAzureBlobFiles (sync picked folders), integrations.cancel (stop a crawl) and
// integrations.listSharepointSites, against the stateful fakes CompatSdkTest seeds: a Google Drive,
// a SharePoint tenant (Microsoft Graph) and an Azure storage account. Synced files are followed
// through files.queryUserFiles until READY and found again with embeddings.getDocuments.
//
// Runs in an organization of its own (CATCHMENT_SYNC_API_KEY): the READY polling and the tier-2
// sync calls get their own rate-limit allowance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CarbonError } from 'carbon-typescript-sdk';
import { carbon, detailMessage, expectError, timestamp, uniqueCustomerId, validationErrors } from '../lib/harness.mjs';
import { FAKES, assertDataSource, browse, callbackUrl, parseUrl, userDataSources } from '../lib/integrations.mjs';
import { pause } from '../lib/files.mjs';

function required(name) {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') {
    // Thrown at import time, so this file fails (never silently skips) without the fakes.
    throw new Error(`${name} is not set. The sync tests need the seeded provider fakes that CompatSdkTest in `
      + 'catchment-server starts and passes as environment variables (see compat/README.md, "Sync").');
  }
  return value.trim();
}

const SYNC_API_KEY = required('CATCHMENT_SYNC_API_KEY');
/** Each tree: `{root, items: {path: {id, folder?, text?}}}`, paths relative to the root container. */
const DRIVE = JSON.parse(required('CATCHMENT_FAKE_GOOGLE_DRIVE_TREE'));
const SHAREPOINT = {
  url: required('CATCHMENT_FAKE_SHAREPOINT_URL'),
  tenant: required('CATCHMENT_FAKE_SHAREPOINT_TENANT'),
  sites: JSON.parse(required('CATCHMENT_FAKE_SHAREPOINT_SITES')),
  tree: JSON.parse(required('CATCHMENT_FAKE_SHAREPOINT_TREE')),
};
const AZURE = JSON.parse(required('CATCHMENT_FAKE_AZURE_TREE'));

const CRAWL_TIMEOUT_MS = 60_000;
const FILES_TIMEOUT_MS = 90_000;
const UNKNOWN_DATA_SOURCE = 2_000_000_001;

/**
 * Awaits an SDK call that must succeed and returns its response (HTTP 200); a CarbonError fails
 * with the status and the server's error body, which the SDK's own message leaves out.
 */
async function succeeds(call) {
  let response;
  try {
    response = await call;
  } catch (e) {
    if (e instanceof CarbonError) assert.fail(`HTTP ${e.status}: ${JSON.stringify(e.responseBody)}`);
    throw e;
  }
  assert.equal(response.status, 200);
  return response;
}

/** A new customer of the sync organization, with its API-key client. */
async function newCustomer(label) {
  const customerId = uniqueCustomerId(label);
  const client = carbon({ apiKey: SYNC_API_KEY, customerId });
  const me = await succeeds(client.users.whoAmI());
  return { customerId, client, userId: me.data.id };
}

// ------------------------------------------------------------------ data sources

async function dataSource(client, id) {
  const { results } = await userDataSources(client, { filters: { ids: [id] } });
  assert.equal(results.length, 1, `data source ${id} is not listed`);
  return results[0];
}

/** Polls queryUserDataSources until `done(ds)`; a data source in SYNC_ERROR fails at once. */
async function awaitDataSource(client, id, what, done, timeoutMs = CRAWL_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ds = await dataSource(client, id);
    if (done(ds)) return ds;
    assert.notEqual(ds.sync_status, 'SYNC_ERROR', `data source ${id} failed while waiting for ${what}: ${ds.sync_error_message}`);
    if (Date.now() > deadline) assert.fail(`data source ${id}: no ${what} within ${timeoutMs} ms: ${JSON.stringify(ds)}`);
    await pause(200);
  }
}

/** READY with source_items_synced_at set (and, given `afterMs`, later than it). */
function crawled(afterMs) {
  return (ds) => ds.sync_status === 'READY' && ds.source_items_synced_at !== null
    && (afterMs === undefined || timestamp(ds.source_items_synced_at, 'source_items_synced_at') > afterMs);
}

/** Catchment's progress beyond Carbon's schema: the data source's files by state. */
function assertSyncProgress(ds) {
  const p = ds.sync_progress;
  assert.ok(p !== null && typeof p === 'object', `sync_progress: ${JSON.stringify(ds)}`);
  for (const key of ['files_queued', 'files_syncing', 'files_ready', 'files_failed', 'files_total']) {
    assert.ok(Number.isInteger(p[key]) && p[key] >= 0, `sync_progress.${key}: ${JSON.stringify(p)}`);
  }
  assert.equal(p.files_total, p.files_queued + p.files_syncing + p.files_ready + p.files_failed);
}

// ------------------------------------------------------------------ items

/** Every field of the SDK's ExternalSourceItem with its type. */
function assertItemShape(item) {
  assert.ok(Number.isInteger(item.id), `id: ${JSON.stringify(item)}`);
  for (const key of ['external_id', 'source', 'name']) assert.equal(typeof item[key], 'string', `${key}: ${JSON.stringify(item)}`);
  for (const key of ['is_selectable', 'is_expandable']) assert.equal(typeof item[key], 'boolean', `${key}: ${JSON.stringify(item)}`);
  for (const key of ['organization_id', 'organization_user_id', 'organization_user_data_source_id']) {
    assert.ok(Number.isInteger(item[key]), `${key}: ${JSON.stringify(item)}`);
  }
  assert.equal(typeof item.organization_supplied_user_id, 'string');
  for (const key of ['organization_user_file_to_sync_id', 'parent_external_id', 'item_type', 'root_external_id',
    'external_url', 'file_format']) {
    assert.ok(key in item, `${key} is missing: ${JSON.stringify(item)}`);
  }
  assert.ok(item.organization_user_file_to_sync_id === null || Number.isInteger(item.organization_user_file_to_sync_id));
  for (const key of ['parent_external_id', 'item_type', 'root_external_id', 'external_url', 'file_format']) {
    assert.ok(item[key] === null || typeof item[key] === 'string', `${key}: ${JSON.stringify(item)}`);
  }
  timestamp(item.synced_at, 'synced_at');
  timestamp(item.created_at, 'created_at');
  timestamp(item.updated_at, 'updated_at');
  return item;
}

/** One listDataSourceItems call, checked for shape; returns `{items, count}`. */
async function listItems(client, body) {
  const response = await succeeds(client.integrations.listDataSourceItems(body));
  assert.ok(Array.isArray(response.data.items), JSON.stringify(response.data));
  assert.ok(Number.isInteger(response.data.count));
  response.data.items.forEach(assertItemShape);
  return response.data;
}

/** Every item the body selects, page by page (100 a page). */
async function allItems(client, body) {
  const items = [];
  for (let offset = 0; ; offset += 100) {
    const page = await listItems(client, { ...body, pagination: { limit: 100, offset } });
    items.push(...page.items);
    if (page.items.length === 0 || items.length >= page.count) return items;
  }
}

const names = (items) => items.map((i) => i.name);
const externalIds = (items) => items.map((i) => i.external_id);
const sorted = (values) => [...values].sort();
const nameOf = (path) => path.replace(/\/$/, '').split('/').pop();

/**
 * The path of an item's parent in a tree ('' for the root). Object-store folders keep their
 * trailing slash in the tree ("reports/2024/"), which seededId allows for.
 */
function parentPath(path) {
  const trimmed = path.replace(/\/$/, '');
  const slash = trimmed.lastIndexOf('/');
  return slash < 0 ? '' : trimmed.slice(0, slash);
}

/** The seeded item at `path` of `tree`, or the tree's root for ''. */
function seededId(tree, path) {
  if (path === '') return tree.root;
  const entry = tree.items[path] ?? tree.items[`${path}/`];
  assert.ok(entry, `nothing seeded at ${path}`);
  return entry.id;
}

/**
 * Checks that the crawl found every seeded item with the right parent, root, kind and format, and
 * no file yet; returns the listed items by external id.
 */
function assertSeededItems(tree, listed, { source, dataSourceId, customerId, userId }) {
  const byExternalId = new Map(listed.map((i) => [i.external_id, i]));
  for (const [path, seeded] of Object.entries(tree.items)) {
    const item = byExternalId.get(seeded.id);
    assert.ok(item, `${path} (${seeded.id}) was not crawled: ${JSON.stringify(externalIds(listed))}`);
    assert.equal(item.name, nameOf(path), path);
    assert.equal(item.source, source);
    assert.equal(item.organization_user_data_source_id, dataSourceId);
    assert.equal(item.organization_supplied_user_id, customerId);
    assert.equal(item.organization_user_id, userId);
    assert.equal(item.parent_external_id, seededId(tree, parentPath(path)), `parent of ${path}`);
    assert.equal(item.root_external_id, tree.root, `root of ${path}`);
    assert.equal(item.is_selectable, true, path);
    assert.equal(item.is_expandable, Boolean(seeded.folder), `is_expandable of ${path}`);
    assert.equal(item.item_type, seeded.folder ? 'FOLDER' : 'FILE', `item_type of ${path}`);
    assert.equal(item.file_format, seeded.folder ? null : 'TXT', `file_format of ${path}`);
    assert.equal(item.organization_user_file_to_sync_id, null, `${path} is not synced yet`);
  }
  return byExternalId;
}

/** The external ids of the seeded items at or below `path`. */
function idsBelow(tree, path) {
  const prefix = path.endsWith('/') ? path : `${path}/`;
  return Object.entries(tree.items).filter(([p]) => p === path || p.startsWith(prefix)).map(([, v]) => v.id);
}

// ------------------------------------------------------------------ files and search

/** The data source's files (folders included), by external id. */
async function dataSourceFiles(client, dataSourceId) {
  const response = await succeeds(client.files.queryUserFiles({
    filters: { organization_user_data_source_id: [dataSourceId] }, pagination: { limit: 100, offset: 0 },
  }));
  assert.ok(response.data.count <= 100, `more files than expected: ${response.data.count}`);
  return new Map(response.data.results.map((f) => [f.external_file_id, f]));
}

/**
 * Polls queryUserFiles until every one of `expected` (external ids) has a READY file; a file in
 * SYNC_ERROR fails at once. Returns the data source's files by external id.
 */
async function awaitFilesReady(client, dataSourceId, expected) {
  const deadline = Date.now() + FILES_TIMEOUT_MS;
  for (;;) {
    const files = await dataSourceFiles(client, dataSourceId);
    for (const f of files.values()) {
      assert.notEqual(f.sync_status, 'SYNC_ERROR', `file ${f.id} (${f.name}) failed: ${f.sync_error_message}`);
    }
    if (expected.every((id) => files.get(id)?.sync_status === 'READY')) return files;
    if (Date.now() > deadline) {
      assert.fail(`files not READY within ${FILES_TIMEOUT_MS} ms: ${JSON.stringify([...files.values()]
        .map((f) => ({ name: f.name, external_file_id: f.external_file_id, sync_status: f.sync_status })))}`);
    }
    await pause(500);
  }
}

/** The file embeddings.getDocuments ranks first for `query`. */
async function topFile(client, query) {
  const response = await succeeds(client.embeddings.getDocuments({ query, k: 1 }));
  assert.equal(response.data.documents.length, 1, `nothing found for "${query}": ${JSON.stringify(response.data)}`);
  return response.data.documents[0];
}

/** Checks a synced file against its item: source, ids, parent, request and tags. */
function assertSyncedFile(file, { source, dataSourceId, externalId, parentFileId, requestId, tags }) {
  assert.equal(file.source, source);
  assert.equal(file.organization_user_data_source_id, dataSourceId);
  assert.equal(file.external_file_id, externalId);
  assert.equal(file.sync_status, 'READY');
  if (parentFileId !== undefined) assert.equal(file.parent_id, parentFileId, `parent_id of ${file.name}`);
  if (requestId !== undefined) assert.equal(file.request_id, requestId, `request_id of ${file.name}`);
  for (const [key, value] of Object.entries(tags ?? {})) assert.equal(file.tags?.[key], value, `tag ${key} of ${file.name}`);
}

// ------------------------------------------------------------------ tests

test('Google Drive: syncDataSourceItems crawls, listDataSourceItems browses, syncFiles a folder, search finds it, re-crawl and cancel', async () => {
  const { client, customerId, userId } = await newCustomer('drive-sync');
  const connected = await succeeds(client.integrations.connectDataSource({
    authentication: { source: 'GOOGLE_DRIVE', access_token: FAKES.googleDrive.accessToken },
  }));
  const dsId = assertDataSource(connected.data.data_source, { data_source_type: 'GOOGLE_DRIVE' }).id;

  // The crawl: items/sync answers the data source at once, queued (or already at it).
  const crawl = await succeeds(client.integrations.syncDataSourceItems({ data_source_id: dsId }));
  assertDataSource(crawl.data, { id: dsId, data_source_type: 'GOOGLE_DRIVE', organization_supplied_user_id: customerId });
  assert.ok(['QUEUED_FOR_SYNCING', 'SYNCING', 'READY'].includes(crawl.data.sync_status), crawl.data.sync_status);
  assertSyncProgress(crawl.data);
  const ready = await awaitDataSource(client, dsId, 'the crawl', crawled());
  const firstCrawl = timestamp(ready.source_items_synced_at, 'source_items_synced_at');

  // Everything the account holds, with the My Drive root folder on top.
  const all = await allItems(client, { data_source_id: dsId });
  assert.equal(all.length, Object.keys(DRIVE.items).length + 1, JSON.stringify(names(all)));
  const byExternalId = assertSeededItems(DRIVE, all, { source: 'GOOGLE_DRIVE', dataSourceId: dsId, customerId, userId });
  const root = byExternalId.get(DRIVE.root);
  assert.ok(root, 'the My Drive root folder is an item');
  assert.deepEqual([root.name, root.parent_external_id, root.root_external_id, root.is_expandable, root.item_type],
    ['My Drive', null, DRIVE.root, true, 'FOLDER']);
  const aurora = byExternalId.get(seededId(DRIVE, 'Compat Reports/aurora.txt'));
  assert.equal(typeof aurora.external_url, 'string', 'a Drive file links to Drive');

  // parent_id: one folder's children; root_files_only: the top of the tree.
  const top = await listItems(client, { data_source_id: dsId, filters: { root_files_only: true } });
  assert.deepEqual(externalIds(top.items), [DRIVE.root]);
  const underRoot = await listItems(client, { data_source_id: dsId, parent_id: DRIVE.root });
  assert.deepEqual(sorted(names(underRoot.items)), ['Compat Notes', 'Compat Reports', 'Unpicked']);
  const reportsId = seededId(DRIVE, 'Compat Reports');
  const reports = await listItems(client, { data_source_id: dsId, parent_id: reportsId });
  assert.equal(reports.count, 4);
  assert.deepEqual(sorted(names(reports.items)), ['Archive', 'Chess notes', 'aurora.txt', 'sourdough.txt']);
  const doc = reports.items.find((i) => i.name === 'Chess notes');
  assert.equal(doc.file_format, 'TXT', 'a Google Doc is exported as text');

  // Filters: name (contains, any case), file_formats, item_types, external_ids, ids.
  const byName = await listItems(client, { data_source_id: dsId, filters: { name: 'AURORA' } });
  assert.deepEqual(externalIds(byName.items), [aurora.external_id]);
  const texts = await listItems(client, { data_source_id: dsId, parent_id: reportsId, filters: { file_formats: ['TXT'] } });
  assert.deepEqual(sorted(names(texts.items)), ['Chess notes', 'aurora.txt', 'sourdough.txt']);
  const folders = await listItems(client, { data_source_id: dsId, filters: { item_types: ['FOLDER'] } });
  assert.deepEqual(sorted(names(folders.items)), ['Archive', 'Compat Notes', 'Compat Reports', 'My Drive', 'Unpicked']);
  const honeybeesId = seededId(DRIVE, 'Compat Reports/Archive/honeybees.txt');
  const picked = await listItems(client, { data_source_id: dsId, filters: { external_ids: [aurora.external_id, honeybeesId] } });
  assert.deepEqual(sorted(externalIds(picked.items)), sorted([aurora.external_id, honeybeesId]));
  const byId = await listItems(client, { data_source_id: dsId, filters: { ids: [aurora.id] } });
  assert.deepEqual(externalIds(byId.items), [aurora.external_id]);

  // Pages of a folder with 25 files: they add up to the one-page listing, count stays the total,
  // desc is asc reversed. (Carbon's order_by values are tested on their own below.)
  const notesId = seededId(DRIVE, 'Compat Notes');
  const whole = await listItems(client, { data_source_id: dsId, parent_id: notesId, pagination: { limit: 100, offset: 0 } });
  assert.equal(whole.count, 25);
  const paged = [];
  for (const offset of [0, 10, 20]) {
    const page = await listItems(client, { data_source_id: dsId, parent_id: notesId, order_dir: 'asc',
      pagination: { limit: 10, offset } });
    assert.equal(page.count, 25, 'count is the total, not the page');
    assert.equal(page.items.length, offset === 20 ? 5 : 10);
    paged.push(...page.items);
  }
  assert.deepEqual(externalIds(paged), externalIds(whole.items));
  assert.deepEqual(sorted(externalIds(paged)), sorted(idsBelow(DRIVE, 'Compat Notes').filter((id) => id !== notesId)));
  const desc = await listItems(client, { data_source_id: dsId, parent_id: notesId, order_dir: 'desc', pagination: { limit: 100 } });
  assert.deepEqual(externalIds(desc.items), externalIds(whole.items).reverse());

  // Sync the folder: it and everything below it becomes files, READY; nothing else does.
  const requestId = `compat-drive-${Date.now()}`;
  const sync = await succeeds(client.integrations.syncFiles({
    data_source_id: dsId, ids: [reportsId], request_id: requestId, tags: { project: 'compat' },
  }));
  assert.deepEqual(sync.data, { success: true });
  const expected = idsBelow(DRIVE, 'Compat Reports');
  const files = await awaitFilesReady(client, dsId, expected);
  assert.deepEqual(sorted([...files.keys()]), sorted(expected), 'only the picked folder is synced');
  const reportsFile = files.get(reportsId);
  const archiveFile = files.get(seededId(DRIVE, 'Compat Reports/Archive'));
  const auroraFile = files.get(aurora.external_id);
  assertSyncedFile(auroraFile, { source: 'GOOGLE_DRIVE', dataSourceId: dsId, externalId: aurora.external_id,
    parentFileId: reportsFile.id, requestId, tags: { project: 'compat' } });
  assertSyncedFile(files.get(honeybeesId), { source: 'GOOGLE_DRIVE', dataSourceId: dsId, externalId: honeybeesId,
    parentFileId: archiveFile.id, requestId });
  assertSyncedFile(archiveFile, { source: 'GOOGLE_DRIVE', dataSourceId: dsId,
    externalId: seededId(DRIVE, 'Compat Reports/Archive'), parentFileId: reportsFile.id });
  const docFile = files.get(doc.external_id);
  assert.match(docFile.name, /^Chess notes/);

  // listDataSourceItems now links each synced item to its file.
  const afterSync = await listItems(client, { data_source_id: dsId, filters: { external_ids: [aurora.external_id, honeybeesId] } });
  const linked = new Map(afterSync.items.map((i) => [i.external_id, i.organization_user_file_to_sync_id]));
  assert.equal(linked.get(aurora.external_id), auroraFile.id);
  assert.equal(linked.get(honeybeesId), files.get(honeybeesId).id);
  const unpicked = await listItems(client, { data_source_id: dsId, filters: { name: 'volcano' } });
  assert.deepEqual(unpicked.items.map((i) => i.organization_user_file_to_sync_id), [null]);

  // Search finds the synced content: a file, one in a subfolder, and the exported Google Doc.
  assert.equal((await topFile(client, 'northern lights glowing over the polar sky')).file_id, auroraFile.id);
  assert.equal((await topFile(client, 'bees dancing to show their sisters where the flowers are')).file_id, files.get(honeybeesId).id);
  assert.equal((await topFile(client, 'chess openings like the Sicilian')).file_id, docFile.id);
  const synced = await awaitDataSource(client, dsId, 'READY after the file sync', (d) => d.sync_status === 'READY');
  assert.equal(synced.last_sync_action, 'UPDATE');
  assertSyncProgress(synced);
  assert.ok(synced.sync_progress.files_ready >= expected.length, JSON.stringify(synced.sync_progress));

  // syncDataSourceItems again: a new crawl, source_items_synced_at moves on, the items stay linked.
  const again = await succeeds(client.integrations.syncDataSourceItems({ data_source_id: dsId }));
  assertDataSource(again.data, { id: dsId });
  const recrawled = await awaitDataSource(client, dsId, 'the second crawl', crawled(firstCrawl));
  assert.ok(timestamp(recrawled.source_items_synced_at, 'source_items_synced_at') > firstCrawl);
  const relisted = await listItems(client, { data_source_id: dsId, filters: { external_ids: [aurora.external_id] } });
  assert.equal(relisted.items[0].organization_user_file_to_sync_id, auroraFile.id);
  assert.equal((await listItems(client, { data_source_id: dsId })).count, all.length);

  // cancel: a crawl asked for and cancelled at once ends READY with last_sync_action CANCEL.
  await succeeds(client.integrations.syncDataSourceItems({ data_source_id: dsId }));
  const cancelled = await succeeds(client.integrations.cancel({ data_source_id: dsId }));
  assertDataSource(cancelled.data, { id: dsId, last_sync_action: 'CANCEL' });
  const settled = await awaitDataSource(client, dsId, 'READY after the cancel', (d) => d.sync_status === 'READY');
  assert.equal(settled.last_sync_action, 'CANCEL');
  // Cancelling stops the crawl, not what was synced.
  assert.equal((await dataSourceFiles(client, dsId)).get(aurora.external_id).sync_status, 'READY');

  // Validation and another customer's view, through the same SDK calls.
  const noIds = await expectError(client.integrations.syncFiles({ data_source_id: dsId }), 422);
  assert.deepEqual(validationErrors(noIds).map((e) => e.loc), [['body', 'ids']]);
  const emptyIds = await expectError(client.integrations.syncFiles({ data_source_id: dsId, ids: [] }), 422);
  assert.deepEqual(validationErrors(emptyIds).map((e) => e.loc), [['body', 'ids']]);
  const stranger = await newCustomer('drive-sync-other');
  detailMessage(await expectError(stranger.client.integrations.listDataSourceItems({ data_source_id: dsId }), 404));
  detailMessage(await expectError(stranger.client.integrations.syncDataSourceItems({ data_source_id: dsId }), 404));
  detailMessage(await expectError(stranger.client.integrations.syncFiles({ data_source_id: dsId, ids: [reportsId] }), 404));
  detailMessage(await expectError(stranger.client.integrations.cancel({ data_source_id: dsId }), 404));
  const notSharePoint = await expectError(client.integrations.listSharepointSites({ dataSourceId: dsId }), 400);
  assert.match(detailMessage(notSharePoint), /SHAREPOINT/);
});

test('Azure Blob Storage: the connection crawls, listDataSourceItems shows containers and prefixes, syncAzureBlobFiles syncs a prefix', async () => {
  const { client, customerId, userId } = await newCustomer('azure-sync');
  const connected = await succeeds(client.integrations.syncAzureBlobStorage({
    account_name: FAKES.azure.account, account_key: FAKES.azure.key,
  }));
  const dsId = assertDataSource(connected.data, { data_source_type: 'AZURE_BLOB_STORAGE' }).id;
  // Connecting crawls the account by itself (sync_source_items defaults to true).
  await awaitDataSource(client, dsId, 'the crawl after connecting', crawled());

  const container = AZURE.root;
  const top = await listItems(client, { data_source_id: dsId, filters: { root_files_only: true } });
  assert.ok(externalIds(top.items).includes(container), JSON.stringify(externalIds(top.items)));
  const containerItem = top.items.find((i) => i.external_id === container);
  assert.deepEqual([containerItem.name, containerItem.item_type, containerItem.parent_external_id,
    containerItem.root_external_id, containerItem.is_expandable], [container, 'Container', null, container, true]);
  // item_types takes Carbon's AzureBlobStorageTypes.
  const containers = await listItems(client, { data_source_id: dsId, filters: { item_types: ['Container'] } });
  assert.deepEqual(sorted(externalIds(containers.items)), sorted(externalIds(top.items)));
  const inContainer = await allItems(client, { data_source_id: dsId, filters: { external_ids: Object.values(AZURE.items).map((i) => i.id) } });
  assertSeededItems(AZURE, inContainer, { source: 'AZURE_BLOB_STORAGE', dataSourceId: dsId, customerId, userId });
  const reports = await listItems(client, { data_source_id: dsId, parent_id: `${container}/reports/` });
  assert.deepEqual(sorted(names(reports.items)), ['2024', 'summary.txt']);

  // A prefix of a container: everything below it, and nothing else.
  const sync = await succeeds(client.integrations.syncAzureBlobFiles({
    data_source_id: dsId, ids: [{ container, id: 'reports/' }], request_id: 'compat-azure', chunk_size: 300,
  }));
  assert.deepEqual(sync.data, { success: true });
  const expected = idsBelow(AZURE, 'reports/');
  const files = await awaitFilesReady(client, dsId, expected);
  assert.deepEqual(sorted([...files.keys()]), sorted(expected), 'only the picked prefix is synced');
  const coral = files.get(seededId(AZURE, 'reports/2024/coral.txt'));
  assertSyncedFile(coral, { source: 'AZURE_BLOB_STORAGE', dataSourceId: dsId, externalId: `${container}/reports/2024/coral.txt`,
    parentFileId: files.get(`${container}/reports/2024/`).id, requestId: 'compat-azure' });
  assert.equal(coral.chunk_size, 300);
  assert.equal((await topFile(client, 'why do coral reefs turn white in warm seas')).file_id, coral.id);
  assert.equal((await topFile(client, 'distance runners eating energy gels')).file_id,
    files.get(seededId(AZURE, 'reports/summary.txt')).id);
  const linked = await listItems(client, { data_source_id: dsId, filters: { external_ids: [coral.external_file_id] } });
  assert.equal(linked.items[0].organization_user_file_to_sync_id, coral.id);

  const missingIds = await expectError(client.integrations.syncAzureBlobFiles({ data_source_id: dsId, ids: [] }), 422);
  assert.deepEqual(validationErrors(missingIds).map((e) => e.loc), [['body', 'ids']]);
});

test('SharePoint: connected through getOauthUrl, crawled; listSharepointSites pages through the sites; syncFiles with {id, root_id}', async () => {
  const { client, customerId, userId } = await newCustomer('sharepoint-sync');
  const tenant = `${SHAREPOINT.tenant}.onmicrosoft.com`;
  const { data } = await succeeds(client.integrations.getOauthUrl({ service: 'SHAREPOINT', microsoft_tenant: tenant }));
  const { url, origin, params } = parseUrl(data.oauth_url);
  assert.equal(origin, 'https://login.microsoftonline.com', data.oauth_url);
  assert.equal(url.pathname, `/${tenant}/oauth2/v2.0/authorize`);
  // The user's browser at Microsoft's consent page (the fake answers at the same path), then back at Catchment.
  const consent = await browse(new URL(`${url.pathname}${url.search}`, SHAREPOINT.url).toString());
  assert.equal(consent.status, 302, `the fake Microsoft refused the authorize URL: ${consent.body}`);
  assert.ok(consent.location.startsWith(`${params.redirect_uri}?`), consent.location);
  assert.ok(params.redirect_uri.startsWith(callbackUrl('')), params.redirect_uri);
  const page = await browse(consent.location);
  assert.equal(page.status, 200, page.body);
  const { results } = await userDataSources(client, { filters: { source: 'SHAREPOINT' } });
  assert.equal(results.length, 1);
  const dsId = assertDataSource(results[0], { data_source_type: 'SHAREPOINT', last_sync_action: 'ADD' }).id;
  assert.equal(results[0].data_source_metadata.microsoft_tenant, tenant);
  await awaitDataSource(client, dsId, 'the crawl after connecting', crawled());

  // The tenant's sites, page by page with next_cursor, with and without data_source_id.
  const sites = [];
  let cursor;
  let pages = 0;
  do {
    const response = await succeeds(client.integrations.listSharepointSites({ dataSourceId: dsId, cursor }));
    assert.ok(Array.isArray(response.data.sites), JSON.stringify(response.data));
    assert.ok('next_cursor' in response.data, JSON.stringify(response.data));
    sites.push(...response.data.sites);
    cursor = response.data.next_cursor ?? undefined;
    pages += 1;
    assert.ok(pages <= 10, 'next_cursor never ends');
  } while (cursor !== undefined);
  assert.ok(pages > 1, 'the fake lists two sites a page');
  assert.deepEqual(sites, SHAREPOINT.sites);
  const first = await succeeds(client.integrations.listSharepointSites());
  assert.deepEqual(first.data.sites, SHAREPOINT.sites.slice(0, first.data.sites.length));
  const tampered = await expectError(client.integrations.listSharepointSites({
    dataSourceId: dsId, cursor: 'https://attacker.example/v1.0/sites?search=*',
  }), 400);
  detailMessage(tampered);

  // Items: the sites on top, each site's libraries below it, then the libraries' folders and files.
  const top = await listItems(client, { data_source_id: dsId, filters: { root_files_only: true } });
  assert.deepEqual(sorted(externalIds(top.items)), sorted(SHAREPOINT.sites.map((s) => s.id)));
  for (const site of top.items) {
    const expectedSite = SHAREPOINT.sites.find((s) => s.id === site.external_id);
    assert.deepEqual([site.name, site.item_type, site.is_expandable, site.root_external_id],
      [expectedSite.display_name, 'SITE', true, site.external_id]);
  }
  const tree = SHAREPOINT.tree;
  const libraries = await listItems(client, { data_source_id: dsId, parent_id: tree.site });
  assert.deepEqual(libraries.items.map((i) => [i.external_id, i.name, i.item_type, i.is_expandable]),
    [[tree.root, 'Documents', 'DRIVE', true]]);
  const inLibrary = await allItems(client, { data_source_id: dsId, filters: { external_ids: Object.values(tree.items).map((i) => i.id) } });
  assertSeededItems(tree, inLibrary, { source: 'SHAREPOINT', dataSourceId: dsId, customerId, userId });
  const underLibrary = await listItems(client, { data_source_id: dsId, parent_id: tree.root });
  assert.deepEqual(sorted(names(underLibrary.items)), ['Designs', 'Drafts']);

  // Carbon's {id, root_id} form of ids.
  const designs = seededId(tree, 'Designs');
  const sync = await succeeds(client.integrations.syncFiles({ data_source_id: dsId, ids: [{ id: designs, root_id: tree.root }] }));
  assert.deepEqual(sync.data, { success: true });
  const expected = idsBelow(tree, 'Designs');
  const files = await awaitFilesReady(client, dsId, expected);
  assert.deepEqual(sorted([...files.keys()]), sorted(expected), 'only the picked folder is synced');
  const glaciers = files.get(seededId(tree, 'Designs/Old/glaciers.txt'));
  assertSyncedFile(glaciers, { source: 'SHAREPOINT', dataSourceId: dsId, externalId: seededId(tree, 'Designs/Old/glaciers.txt'),
    parentFileId: files.get(seededId(tree, 'Designs/Old')).id });
  assert.equal((await topFile(client, 'how ice rivers shape mountain valleys')).file_id, glaciers.id);
  assert.equal((await topFile(client, 'keeping a light burning for ships at night')).file_id,
    files.get(seededId(tree, 'Designs/lighthouse.txt')).id);
});

// Carbon's ExternalSourceItemsOrderBy values are lower case: name, id, directories_first.
test('listDataSourceItems takes Carbon\'s order_by values: name, id, directories_first', async () => {
  const { client } = await newCustomer('items-order');
  const connected = await succeeds(client.integrations.syncAzureBlobStorage({
    account_name: FAKES.azure.account, account_key: FAKES.azure.key,
  }));
  const dsId = connected.data.id;
  await awaitDataSource(client, dsId, 'the crawl after connecting', crawled());
  const listed = async (order) => names((await listItems(client, {
    data_source_id: dsId, parent_id: `${AZURE.root}/reports/`, pagination: { limit: 100, offset: 0 }, ...order,
  })).items);
  assert.deepEqual(await listed({ order_by: 'name', order_dir: 'desc' }), ['summary.txt', '2024']);
  assert.deepEqual(await listed({ order_by: 'directories_first', order_dir: 'desc' }), ['2024', 'summary.txt'],
    'folders first, whatever the direction');
  const byId = (await listItems(client, { data_source_id: dsId, order_by: 'id', pagination: { limit: 100, offset: 0 } }))
    .items.map((i) => i.id);
  assert.deepEqual(byId, [...byId].sort((a, b) => a - b));
});

// Every way of connecting starts a crawl (sync_options.sync_source_items defaults to true in Carbon).
test('connectDataSource crawls the account by itself, as the other ways of connecting do', async () => {
  const { client } = await newCustomer('drive-connect-crawl');
  const connected = await succeeds(client.integrations.connectDataSource({
    authentication: { source: 'GOOGLE_DRIVE', access_token: FAKES.googleDrive.accessToken },
  }));
  const dsId = connected.data.data_source.id;
  await awaitDataSource(client, dsId, 'the crawl after connecting', crawled(), 8_000);
  const top = await listItems(client, { data_source_id: dsId, filters: { root_files_only: true } });
  assert.deepEqual(externalIds(top.items), [DRIVE.root]);
});

test('errors through the SDK: unknown data sources are 404 with a detail, missing fields are 422 naming them', async () => {
  const { client } = await newCustomer('sync-errors');
  // One call at a time: each request is made when expectError awaits it.
  const notFound = {
    syncDataSourceItems: () => client.integrations.syncDataSourceItems({ data_source_id: UNKNOWN_DATA_SOURCE }),
    cancel: () => client.integrations.cancel({ data_source_id: UNKNOWN_DATA_SOURCE }),
    listDataSourceItems: () => client.integrations.listDataSourceItems({ data_source_id: UNKNOWN_DATA_SOURCE }),
    syncFiles: () => client.integrations.syncFiles({ data_source_id: UNKNOWN_DATA_SOURCE, ids: ['some-file'] }),
    syncAzureBlobFiles: () => client.integrations.syncAzureBlobFiles({
      data_source_id: UNKNOWN_DATA_SOURCE, ids: [{ container: 'c', id: 'a/' }],
    }),
    listSharepointSites: () => client.integrations.listSharepointSites({ dataSourceId: UNKNOWN_DATA_SOURCE }),
  };
  for (const [method, call] of Object.entries(notFound)) {
    const detail = detailMessage(await expectError(call(), 404));
    assert.match(detail, new RegExp(String(UNKNOWN_DATA_SOURCE)), `${method}: ${detail}`);
  }
  const noIds = await expectError(client.integrations.syncFiles({}), 422);
  assert.deepEqual(sorted(validationErrors(noIds).map((e) => e.loc.join('.'))), ['body.data_source_id', 'body.ids']);
  const noDataSource = await expectError(client.integrations.syncDataSourceItems({}), 422);
  assert.deepEqual(validationErrors(noDataSource).map((e) => e.loc), [['body', 'data_source_id']]);
  const listWithout = await expectError(client.integrations.listDataSourceItems({}), 422);
  assert.deepEqual(validationErrors(listWithout).map((e) => e.loc), [['body', 'data_source_id']]);
  const cancelWithout = await expectError(client.integrations.cancel({}), 422);
  assert.deepEqual(validationErrors(cancelWithout).map((e) => e.loc), [['body', 'data_source_id']]);
  // No SharePoint connected: nothing to list sites with.
  detailMessage(await expectError(client.integrations.listSharepointSites(), 400));
});
