// Data sources through the SDK: a Google Drive connection made with integrations.getOauthUrl and
// finished in the "browser" against the fake Google, the sync URL for an account already connected,
// integrations.connectDataSource with a token obtained elsewhere, and dataSources.queryUserDataSources,
// dataSources.query, addTags, removeTags and revokeAccessToken. Runs in the integrations
// organization (see lib/integrations.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, carbon, detailMessage, expectError, timestamp, validationErrors } from '../lib/harness.mjs';
import {
  CLIENT_IDS, FAKES, assertDataSource, browse, callbackUrl, integrations, newCustomer, parseUrl, userDataSources,
} from '../lib/integrations.mjs';

const drive = FAKES.googleDrive;

/**
 * The user's part of a Google Drive connection: the browser at Google's consent page (the fake
 * stands in for accounts.google.com, which it answers for at the same path), then back at
 * Catchment's callback. Returns the callback's page.
 */
async function consentAtGoogle(oauthUrl) {
  const { url, origin, params } = parseUrl(oauthUrl);
  assert.equal(origin, 'https://accounts.google.com', oauthUrl);
  assert.equal(params.redirect_uri, callbackUrl('google'));
  const atFake = new URL(`${url.pathname}${url.search}`, drive.url).toString();
  const consent = await browse(atFake);
  assert.equal(consent.status, 302, `the fake Google refused the authorize URL: ${consent.body}`);
  assert.ok(consent.location.startsWith(`${callbackUrl('google')}?`), consent.location);
  return browse(consent.location);
}

test('a Google Drive connection through getOauthUrl is a data source; the sync URL and a second connection reuse it', async () => {
  const { client, customerId, userId } = await newCustomer('drive-flow');
  const { data } = await client.integrations.getOauthUrl({
    service: 'GOOGLE_DRIVE', chunk_size: 900, request_id: 'compat-request', data_source_tags: { team: 'docs', tier: 'gold' },
  });
  assert.equal(parseUrl(data.oauth_url).params.client_id, CLIENT_IDS.GOOGLE_DRIVE);
  const page = await consentAtGoogle(data.oauth_url);
  assert.equal(page.status, 200, page.body);
  assert.match(page.body, /connected/i);

  const listed = await userDataSources(client);
  assert.equal(listed.count, 1);
  const ds = assertDataSource(listed.results[0], {
    data_source_type: 'GOOGLE_DRIVE', data_source_external_id: drive.accountId, organization_supplied_user_id: customerId,
    organization_user_id: userId, revoked_access: false, last_sync_action: 'ADD', tags: { team: 'docs', tier: 'gold' },
  });
  assert.equal(ds.data_source_metadata.email, drive.email);
  assert.ok(!JSON.stringify(listed).includes(drive.accessToken));

  // connecting_new_account false (Carbon's default) with the account connected: a sync URL to
  // Catchment's own page that skips OAuth, usable once.
  const sync = await client.integrations.getOauthUrl({ service: 'GOOGLE_DRIVE' });
  const syncUrl = parseUrl(sync.data.oauth_url);
  assert.equal(syncUrl.origin, new URL(BASE_URL).origin);
  assert.match(syncUrl.path, /^\/integrations\/sync\/[A-Za-z0-9_~.-]{32,}$/);
  const syncPage = await browse(sync.data.oauth_url);
  assert.equal(syncPage.status, 200, syncPage.body);
  assert.equal((await browse(sync.data.oauth_url)).status, 400, 'a sync URL works once');
  // data_source_id naming a data source the customer does not have: a normal OAuth URL.
  const other = await client.integrations.getOauthUrl({ service: 'GOOGLE_DRIVE', data_source_id: ds.id + 1_000_000 });
  assert.equal(parseUrl(other.data.oauth_url).origin, 'https://accounts.google.com');
  const named = await client.integrations.getOauthUrl({ service: 'GOOGLE_DRIVE', data_source_id: ds.id });
  assert.match(parseUrl(named.data.oauth_url).path, /^\/integrations\/sync\//);

  // connecting_new_account: the OAuth URL; the same Google account again updates the data source.
  const again = await client.integrations.getOauthUrl({
    service: 'GOOGLE_DRIVE', connecting_new_account: true, data_source_tags: { tier: 'platinum' },
  });
  const secondPage = await consentAtGoogle(again.data.oauth_url);
  assert.equal(secondPage.status, 200, secondPage.body);
  const after = await userDataSources(client);
  assert.equal(after.count, 1, 'the same account connected again is not a second data source');
  assertDataSource(after.results[0], {
    id: ds.id, last_sync_action: 'UPDATE', revoked_access: false, tags: { team: 'docs', tier: 'platinum' },
  });
});

test('integrations.connectDataSource with a Google token obtained elsewhere; a refused token stores nothing', async () => {
  const { client, customerId } = await newCustomer('drive-connect');
  const refused = await expectError(client.integrations.connectDataSource({
    authentication: { source: 'GOOGLE_DRIVE', access_token: 'ya29.not-a-token-the-provider-issued' },
  }), 400);
  assert.match(detailMessage(refused), /GOOGLE_DRIVE/);
  assert.equal((await userDataSources(client)).count, 0);

  const connected = await client.integrations.connectDataSource({
    authentication: { source: 'GOOGLE_DRIVE', access_token: drive.accessToken },
    sync_options: { chunk_size: 700, skip_embedding_generation: true },
  });
  assert.equal(connected.status, 200);
  const ds = assertDataSource(connected.data.data_source, {
    data_source_type: 'GOOGLE_DRIVE', data_source_external_id: drive.accountId, organization_supplied_user_id: customerId,
    last_sync_action: 'ADD', revoked_access: false,
  });
  assert.ok(!JSON.stringify(connected.data).includes(drive.accessToken));
  assert.match(connected.data.sync_url, new RegExp(`^${BASE_URL}/integrations/sync/`));
  const listed = await userDataSources(client);
  assert.deepEqual(listed.results.map((d) => d.id), [ds.id]);

  // The same token again: the same data source, updated.
  const again = await client.integrations.connectDataSource({ authentication: { source: 'GOOGLE_DRIVE', access_token: drive.accessToken } });
  assertDataSource(again.data.data_source, { id: ds.id, last_sync_action: 'UPDATE' });

  const invalid = await expectError(client.integrations.connectDataSource({ authentication: { source: 'GOOGLE_DRIVE' } }), 422);
  assert.deepEqual(validationErrors(invalid).map((e) => e.loc), [['body', 'authentication', 'access_token']]);
  const noAuth = await expectError(client.integrations.connectDataSource({}), 422);
  assert.deepEqual(validationErrors(noAuth).map((e) => e.loc), [['body', 'authentication']]);
});

test('queryUserDataSources and dataSources.query: filters, order, pages, count, and one customer\'s view', async () => {
  const { client, customerId } = await newCustomer('ds-query');
  // Three data sources of three types, created a few milliseconds apart.
  const s3 = (await client.integrations.createAwsIamUser({ access_key: FAKES.s3.accessKey, access_key_secret: FAKES.s3.secret })).data;
  const azure = (await client.integrations.syncAzureBlobStorage({ account_name: FAKES.azure.account, account_key: FAKES.azure.key })).data;
  const googleDrive = (await client.integrations.connectDataSource({
    authentication: { source: 'GOOGLE_DRIVE', access_token: drive.accessToken },
  })).data.data_source;
  const ids = [s3.id, azure.id, googleDrive.id];

  const all = await userDataSources(client, { order_by: 'created_at', order_dir: 'asc' });
  assert.equal(all.count, 3);
  assert.deepEqual(all.results.map((d) => d.id), ids);
  assert.deepEqual(all.results.map((d) => d.data_source_type), ['S3', 'AZURE_BLOB_STORAGE', 'GOOGLE_DRIVE']);
  const desc = await userDataSources(client, { order_by: 'created_at', order_dir: 'desc' });
  assert.deepEqual(desc.results.map((d) => d.id), [...ids].reverse());
  // Carbon's defaults: order_by updated_at, order_dir asc. Connecting starts a crawl, and every step
  // of a sync (queued, syncing, ready) updates the data source, so its updated_at moves on and
  // the creation order says nothing: the answer must be ordered by the updated_at it shows.
  const byDefault = await userDataSources(client);
  assert.deepEqual([...byDefault.results.map((d) => d.id)].sort((a, b) => a - b), [...ids].sort((a, b) => a - b));
  const updated = byDefault.results.map((d) => timestamp(d.updated_at, 'updated_at'));
  assert.ok(updated.every((t, i) => i === 0 || updated[i - 1] <= t),
    `not in updated_at order: ${JSON.stringify(byDefault.results.map((d) => [d.id, d.updated_at]))}`);

  assert.deepEqual((await userDataSources(client, { filters: { source: 'AZURE_BLOB_STORAGE' } })).results.map((d) => d.id), [azure.id]);
  const some = await userDataSources(client, { filters: { ids: [s3.id, googleDrive.id] }, order_by: 'created_at', order_dir: 'asc' });
  assert.deepEqual(some.results.map((d) => d.id), [s3.id, googleDrive.id]);
  assert.equal((await userDataSources(client, { filters: { revoked_access: true } })).count, 0);

  const page1 = await userDataSources(client, { pagination: { limit: 2, offset: 0 }, order_by: 'created_at', order_dir: 'asc' });
  const page2 = await userDataSources(client, { pagination: { limit: 2, offset: 2 }, order_by: 'created_at', order_dir: 'asc' });
  assert.deepEqual([...page1.results, ...page2.results].map((d) => d.id), ids);
  assert.equal(page1.count, 3, 'count is the total, not the page');
  assert.equal(page2.count, 3);

  // The frontend pattern sees the same; another customer sees none of it.
  const { data: token } = await client.auth.getAccessToken();
  const viaToken = await userDataSources(carbon({ accessToken: token.access_token }), { order_by: 'created_at', order_dir: 'asc' });
  assert.deepEqual(viaToken.results.map((d) => d.id), ids);
  const stranger = await newCustomer('ds-query-other');
  assert.equal((await userDataSources(stranger.client)).count, 0);
  assert.equal((await userDataSources(stranger.client, { filters: { ids } })).count, 0);

  // dataSources.query (POST /data_sources): the organization's data sources, each naming its customer.
  const org = await integrations().dataSources.query({ filters: { ids }, order_by: 'created_at', order_dir: 'asc' });
  assert.equal(org.status, 200);
  assert.equal(org.data.count, 3);
  org.data.results.forEach((d) => assertDataSource(d, { organization_supplied_user_id: customerId }));
  assert.deepEqual(org.data.results.map((d) => d.id), ids);

  const bad = await expectError(client.dataSources.queryUserDataSources({ order_by: 'name' }), 422);
  assert.deepEqual(validationErrors(bad).map((e) => e.loc), [['body', 'order_by']]);
});

test('addTags upserts, removeTags removes some or all, and neither reaches another customer\'s data source', async () => {
  const { client } = await newCustomer('ds-tags');
  const ds = (await client.integrations.createAwsIamUser({
    access_key: FAKES.s3.accessKey, access_key_secret: FAKES.s3.secret, data_source_tags: { env: 'prod' },
  })).data;
  assertDataSource(ds, { tags: { env: 'prod' } });

  const added = await client.dataSources.addTags({ data_source_id: ds.id, tags: { owner: 'ops', env: 'staging' } });
  assert.equal(added.status, 200);
  assertDataSource(added.data, { id: ds.id, tags: { env: 'staging', owner: 'ops' } });
  const listed = await userDataSources(client, { filters: { ids: [ds.id] } });
  assert.deepEqual(listed.results[0].tags, { env: 'staging', owner: 'ops' });

  const removed = await client.dataSources.removeTags({ data_source_id: ds.id, tags_to_remove: ['env', 'never-set'] });
  assertDataSource(removed.data, { id: ds.id, tags: { owner: 'ops' } });
  await client.dataSources.addTags({ data_source_id: ds.id, tags: { a: '1', b: '2' } });
  const cleared = await client.dataSources.removeTags({ data_source_id: ds.id, remove_all_tags: true });
  assertDataSource(cleared.data, { id: ds.id, tags: {} });

  const stranger = await newCustomer('ds-tags-other');
  const notFound = await expectError(stranger.client.dataSources.addTags({ data_source_id: ds.id, tags: { x: 'y' } }), 404);
  detailMessage(notFound);
  await expectError(stranger.client.dataSources.removeTags({ data_source_id: ds.id, remove_all_tags: true }), 404);
  assert.deepEqual((await userDataSources(client, { filters: { ids: [ds.id] } })).results[0].tags, {});
  const invalid = await expectError(client.dataSources.addTags({ tags: { x: 'y' } }), 422);
  assert.deepEqual(validationErrors(invalid).map((e) => e.loc), [['body', 'data_source_id']]);
});

test('revokeAccessToken revokes at the provider and marks the data source REVOKE; getOauthUrl then starts over', async () => {
  const { client } = await newCustomer('ds-revoke');
  const { data } = await client.integrations.getOauthUrl({ service: 'GOOGLE_DRIVE' });
  assert.equal((await consentAtGoogle(data.oauth_url)).status, 200);
  const [ds] = (await userDataSources(client)).results;

  const stranger = await newCustomer('ds-revoke-other');
  await expectError(stranger.client.dataSources.revokeAccessToken({ data_source_id: ds.id }), 404);

  const revoked = await client.dataSources.revokeAccessToken({ data_source_id: ds.id });
  assert.equal(revoked.status, 200);
  assert.deepEqual(revoked.data, { success: true });
  const after = await userDataSources(client, { filters: { revoked_access: true } });
  assert.equal(after.count, 1);
  assertDataSource(after.results[0], { id: ds.id, revoked_access: true, last_sync_action: 'REVOKE' });
  assert.equal((await userDataSources(client, { filters: { revoked_access: false } })).count, 0);

  // No connected account any more: an OAuth URL, not a sync URL.
  const next = await client.integrations.getOauthUrl({ service: 'GOOGLE_DRIVE' });
  assert.equal(parseUrl(next.data.oauth_url).origin, 'https://accounts.google.com');
  const missing = await expectError(client.dataSources.revokeAccessToken({}), 422);
  assert.deepEqual(validationErrors(missing).map((e) => e.loc), [['body', 'data_source_id']]);
});
