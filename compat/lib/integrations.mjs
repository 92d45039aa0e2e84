// Shared set-up for the integration tests (oauth_url, data sources, connectors): the second
// organization they run in, the fakes CompatSdkTest started for the providers, and what a user's
// browser does with the URLs the server hands out.
//
// Kept outside test/ on purpose: `node --test` runs every .mjs file under a test/ folder.
import assert from 'node:assert/strict';
import { BASE_URL, carbon, timestamp, uniqueCustomerId } from './harness.mjs';

function required(name) {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') {
    // Thrown at import time, so each integration test file fails (never silently skips).
    throw new Error(`${name} is not set. The integration tests need the provider fakes that CompatSdkTest in `
      + 'catchment-server starts and passes as environment variables (see compat/README.md, "Integrations").');
  }
  return value.trim();
}

/**
 * An API key of an organization used only by the integration tests. It has no white-label apps of
 * its own unless a test registers one: whitelabel.test.mjs changes the other organization's apps
 * while the files run in parallel, and white-label apps replace the server's client ids.
 */
export const INTEGRATIONS_API_KEY = required('CATCHMENT_INTEGRATIONS_API_KEY');

/** The server's own OAuth client id per service, e.g. {"BOX": "compat-box", ...}. */
export const CLIENT_IDS = JSON.parse(required('CATCHMENT_OAUTH_CLIENT_IDS'));

/** Where the fakes are and the credentials they accept (made up per run by CompatSdkTest). */
export const FAKES = {
  zotero: { url: required('CATCHMENT_FAKE_ZOTERO_URL'), userId: required('CATCHMENT_FAKE_ZOTERO_USER_ID') },
  googleDrive: {
    url: required('CATCHMENT_FAKE_GOOGLE_DRIVE_URL'),
    accountId: required('CATCHMENT_FAKE_GOOGLE_DRIVE_ACCOUNT_ID'),
    email: required('CATCHMENT_FAKE_GOOGLE_DRIVE_EMAIL'),
    accessToken: required('CATCHMENT_FAKE_GOOGLE_DRIVE_ACCESS_TOKEN'),
  },
  freshdesk: { apiKey: required('CATCHMENT_FAKE_FRESHDESK_KEY') },
  gitbook: { token: required('CATCHMENT_FAKE_GITBOOK_TOKEN'), organization: required('CATCHMENT_FAKE_GITBOOK_ORGANIZATION') },
  guru: { username: required('CATCHMENT_FAKE_GURU_USERNAME'), token: required('CATCHMENT_FAKE_GURU_TOKEN') },
  s3: { accessKey: required('CATCHMENT_FAKE_S3_ACCESS_KEY'), secret: required('CATCHMENT_FAKE_S3_SECRET') },
  azure: { account: required('CATCHMENT_FAKE_AZURE_ACCOUNT'), key: required('CATCHMENT_FAKE_AZURE_KEY') },
  rss: { feedUrl: required('CATCHMENT_FAKE_RSS_URL'), notAFeedUrl: required('CATCHMENT_FAKE_RSS_NOT_A_FEED_URL') },
};

/** The integrations organization's API key, optionally acting for one customer. */
export function integrations(customerId) {
  return carbon(customerId === undefined
    ? { apiKey: INTEGRATIONS_API_KEY } : { apiKey: INTEGRATIONS_API_KEY, customerId });
}

/** A new customer of the integrations organization, with its API-key client. */
export async function newCustomer(label) {
  const customerId = uniqueCustomerId(label);
  const client = integrations(customerId);
  const me = await client.users.whoAmI();
  assert.equal(me.status, 200);
  return { customerId, client, userId: me.data.id };
}

/** An OAuth or sync URL taken apart: origin, host, path and the (decoded) query parameters. */
export function parseUrl(value) {
  assert.equal(typeof value, 'string', `not a URL: ${value}`);
  const url = new URL(value);
  const params = {};
  for (const [name, v] of url.searchParams) {
    assert.ok(!(name in params), `parameter ${name} appears twice in ${value}`);
    params[name] = v;
  }
  return { url, origin: url.origin, host: url.host, path: url.pathname, params };
}

/**
 * The user's browser at a URL: the status, the Location it was sent to (if any) and the page.
 * Redirects to other hosts (a provider's consent) are returned as they are; the callback's 303 to
 * Catchment's own result page (/connect/result/...) is followed, as a browser would show it.
 */
export async function browse(url) {
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  if (response.status === 303 && location && location.startsWith('/connect/result/')) {
    return browse(new URL(location, url).toString());
  }
  return { status: response.status, location, body: await response.text() };
}

/** The callback URL a provider sends the browser back to: `${BASE_URL}/integrations/<slug>`. */
export function callbackUrl(slug) {
  return `${BASE_URL}/integrations/${slug}`;
}

/** Asserts every field the SDK's OrganizationUserDataSourceAPI declares, with its type, and returns it. */
export function assertDataSource(ds, expected = {}) {
  assert.equal(typeof ds, 'object');
  assert.ok(Number.isInteger(ds.id), `id: ${ds.id}`);
  assert.ok(ds.data_source_external_id === null || typeof ds.data_source_external_id === 'string');
  assert.equal(typeof ds.data_source_type, 'string');
  assert.ok('token' in ds, 'token is missing');
  assert.equal(ds.token, null, 'credentials must never be returned');
  assert.equal(typeof ds.sync_status, 'string');
  assert.ok('source_items_synced_at' in ds);
  assert.ok(Number.isInteger(ds.organization_user_id));
  assert.ok(Number.isInteger(ds.organization_id));
  assert.equal(typeof ds.organization_supplied_user_id, 'string');
  assert.equal(typeof ds.revoked_access, 'boolean');
  timestamp(ds.last_synced_at, 'last_synced_at');
  assert.ok(['ADD', 'UPDATE', 'REVOKE', 'CANCEL'].includes(ds.last_sync_action), `last_sync_action: ${ds.last_sync_action}`);
  assert.ok('enable_auto_sync' in ds, 'enable_auto_sync is missing');
  assert.ok(ds.enable_auto_sync === null || typeof ds.enable_auto_sync === 'boolean');
  timestamp(ds.created_at, 'created_at');
  timestamp(ds.updated_at, 'updated_at');
  assert.ok('files_synced_at' in ds, 'files_synced_at is missing');
  assert.ok(ds.data_source_metadata !== null && typeof ds.data_source_metadata === 'object');
  assert.ok(ds.tags !== null && typeof ds.tags === 'object' && !Array.isArray(ds.tags));
  for (const [key, value] of Object.entries(expected)) {
    assert.deepEqual(ds[key], value, `${key} of data source ${ds.id}`);
  }
  return ds;
}

/** `queryUserDataSources`, checked for shape; returns `{results, count}`. */
export async function userDataSources(client, body = {}) {
  const response = await client.dataSources.queryUserDataSources(body);
  assert.equal(response.status, 200);
  assert.ok(Array.isArray(response.data.results));
  assert.ok(Number.isInteger(response.data.count));
  response.data.results.forEach((ds) => assertDataSource(ds));
  return response.data;
}
