// The credential connectors through the SDK: integrations.connectFreshdesk, connectGitbook,
// connectGuru, createAwsIamUser (S3), syncAzureBlobStorage and syncRssFeed, plus
// integrations.connectDataSource with a key-based authentication. Each checks the credentials
// against the provider's fake first: refused ones are a 400 that says so (never echoing the
// secret) and store nothing; the same account connected again is the same data source.
//
// These run in the main organization (CATCHMENT_API_KEY): no OAuth app is involved, so its
// white-label apps do not matter, and the integrations organization's API key keeps its tier-2
// allowance (90 calls a minute) for the oauth_url and data source tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCustomer, detailMessage, expectError, validationErrors, withApiKey } from '../lib/harness.mjs';
import { FAKES, assertDataSource, userDataSources } from '../lib/integrations.mjs';

/** A new customer of the main organization, with its API-key client. */
async function newCustomer(label) {
  const { customerId, user } = await createCustomer(label);
  return { customerId, client: withApiKey(customerId), userId: user.id };
}

/** The customer's data sources of one type. */
async function ofType(client, source) {
  return (await userDataSources(client, { filters: { source }, order_by: 'created_at', order_dir: 'asc' })).results;
}

/** A refused connection: 400, a detail saying so without the secret, and nothing stored. */
async function refused(client, source, promise, secret) {
  const body = await expectError(promise, 400);
  const message = detailMessage(body);
  assert.match(message, /refused|not accept|did not/i, message);
  assert.ok(!message.includes(secret), `the detail echoes the secret: ${message}`);
  assert.equal((await ofType(client, source)).length, 0, `a refused ${source} connection stored a data source`);
  return message;
}

test('connectFreshdesk verifies the API key, keeps data_source_tags, and connects the same helpdesk once', async () => {
  const { client } = await newCustomer('freshdesk');
  await refused(client, 'FRESHDESK', client.integrations.connectFreshdesk({ domain: 'acme', api_key: 'fd-wrong-key-0000' }),
    'fd-wrong-key-0000');

  const ok = await client.integrations.connectFreshdesk({
    domain: 'acme', api_key: FAKES.freshdesk.apiKey, chunk_size: 1200, chunk_overlap: 40, sync_files_on_connection: false,
    data_source_tags: { team: 'support' },
  });
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.data, { success: true });
  const [ds] = await ofType(client, 'FRESHDESK');
  assertDataSource(ds, { last_sync_action: 'ADD', revoked_access: false, tags: { team: 'support' } });
  assert.ok(!JSON.stringify(ds).includes(FAKES.freshdesk.apiKey));

  await client.integrations.connectFreshdesk({ domain: 'acme', api_key: FAKES.freshdesk.apiKey });
  const again = await ofType(client, 'FRESHDESK');
  assert.equal(again.length, 1, 'the same helpdesk again is not a second data source');
  assertDataSource(again[0], { id: ds.id, last_sync_action: 'UPDATE' });

  const missing = await expectError(client.integrations.connectFreshdesk({ api_key: FAKES.freshdesk.apiKey }), 422);
  assert.deepEqual(validationErrors(missing).map((e) => e.loc), [['body', 'domain']]);
});

test('connectGitbook finds the organization by name across pages; a wrong token or organization is refused', async () => {
  const { client } = await newCustomer('gitbook');
  await refused(client, 'GITBOOK', client.integrations.connectGitbook({
    organization: FAKES.gitbook.organization, access_token: 'gb_api_wrong_token',
  }), 'gb_api_wrong_token');
  const noSuchOrg = await refused(client, 'GITBOOK', client.integrations.connectGitbook({
    organization: 'Nobody Inc', access_token: FAKES.gitbook.token,
  }), FAKES.gitbook.token);
  assert.match(noSuchOrg, /Nobody Inc/);

  const ok = await client.integrations.connectGitbook({
    organization: FAKES.gitbook.organization, access_token: FAKES.gitbook.token, data_source_tags: { space: 'handbook' },
  });
  assert.deepEqual(ok.data, { success: true });
  const [ds] = await ofType(client, 'GITBOOK');
  assertDataSource(ds, { last_sync_action: 'ADD', tags: { space: 'handbook' } });
  assert.ok(!JSON.stringify(ds).includes(FAKES.gitbook.token));

  const missing = await expectError(client.integrations.connectGitbook({ organization: FAKES.gitbook.organization }), 422);
  assert.deepEqual(validationErrors(missing).map((e) => e.loc), [['body', 'access_token']]);
});

test('connectGuru verifies the user token (Basic user:token); the same user again is one data source', async () => {
  const { client } = await newCustomer('guru');
  await refused(client, 'GURU', client.integrations.connectGuru({ username: FAKES.guru.username, access_token: 'guru-wrong' }),
    'guru-wrong');

  const ok = await client.integrations.connectGuru({ username: FAKES.guru.username, access_token: FAKES.guru.token });
  assert.deepEqual(ok.data, { success: true });
  // Guru compares user names without regard to case: still the same user.
  await client.integrations.connectGuru({ username: FAKES.guru.username.toUpperCase(), access_token: FAKES.guru.token });
  const listed = await ofType(client, 'GURU');
  assert.equal(listed.length, 1);
  assertDataSource(listed[0], { last_sync_action: 'UPDATE' });
  assert.ok(!JSON.stringify(listed).includes(FAKES.guru.token));
});

test('createAwsIamUser (S3) signs with SigV4 and returns the data source; a wrong secret is refused', async () => {
  const { client, customerId } = await newCustomer('s3');
  const wrongSecret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGKEY00';
  await refused(client, 'S3', client.integrations.createAwsIamUser({ access_key: FAKES.s3.accessKey, access_key_secret: wrongSecret }),
    wrongSecret);

  const created = await client.integrations.createAwsIamUser({
    access_key: FAKES.s3.accessKey, access_key_secret: FAKES.s3.secret, sync_source_items: false,
    data_source_tags: { bucket: 'compat-docs' },
  });
  assert.equal(created.status, 200);
  const ds = assertDataSource(created.data, {
    data_source_type: 'S3', organization_supplied_user_id: customerId, last_sync_action: 'ADD', revoked_access: false,
    tags: { bucket: 'compat-docs' },
  });
  assert.ok(!JSON.stringify(created.data).includes(FAKES.s3.secret));
  const again = await client.integrations.createAwsIamUser({ access_key: FAKES.s3.accessKey, access_key_secret: FAKES.s3.secret });
  assertDataSource(again.data, { id: ds.id, last_sync_action: 'UPDATE', tags: { bucket: 'compat-docs' } });

  const missing = await expectError(client.integrations.createAwsIamUser({ access_key: FAKES.s3.accessKey }), 422);
  assert.deepEqual(validationErrors(missing).map((e) => e.loc), [['body', 'access_key_secret']]);
});

test('syncAzureBlobStorage signs with Shared Key and returns the data source; a wrong key is refused', async () => {
  const { client, customerId } = await newCustomer('azure');
  const wrongKey = Buffer.alloc(64, 7).toString('base64');
  await refused(client, 'AZURE_BLOB_STORAGE', client.integrations.syncAzureBlobStorage({
    account_name: FAKES.azure.account, account_key: wrongKey,
  }), wrongKey);

  const created = await client.integrations.syncAzureBlobStorage({
    account_name: FAKES.azure.account, account_key: FAKES.azure.key, data_source_tags: { store: 'blobs' },
  });
  assert.equal(created.status, 200);
  assertDataSource(created.data, {
    data_source_type: 'AZURE_BLOB_STORAGE', data_source_external_id: FAKES.azure.account,
    organization_supplied_user_id: customerId, last_sync_action: 'ADD', tags: { store: 'blobs' },
  });
  assert.ok(!JSON.stringify(created.data).includes(FAKES.azure.key));
});

test('syncRssFeed connects a feed; a page that is not a feed is a 400', async () => {
  const { client } = await newCustomer('rss');
  const notFeed = await expectError(client.integrations.syncRssFeed({ url: FAKES.rss.notAFeedUrl }), 400);
  detailMessage(notFeed);
  assert.equal((await ofType(client, 'RSS_FEED')).length, 0);

  const ok = await client.integrations.syncRssFeed({ url: FAKES.rss.feedUrl, chunk_size: 500, data_source_tags: { feed: 'news' } });
  assert.deepEqual(ok.data, { success: true });
  const [ds] = await ofType(client, 'RSS_FEED');
  assertDataSource(ds, { last_sync_action: 'ADD', tags: { feed: 'news' } });
  const missing = await expectError(client.integrations.syncRssFeed({}), 422);
  assert.deepEqual(validationErrors(missing).map((e) => e.loc), [['body', 'url']]);
});

test('connectDataSource with key-based authentications (FRESHDESK, S3) verifies them like the connectors', async () => {
  const { client } = await newCustomer('connect-keys');
  await refused(client, 'FRESHDESK', client.integrations.connectDataSource({
    authentication: { source: 'FRESHDESK', domain: 'acme', api_key: 'fd-wrong-key-1111' },
  }), 'fd-wrong-key-1111');

  const freshdesk = await client.integrations.connectDataSource({
    authentication: { source: 'FRESHDESK', domain: 'acme', api_key: FAKES.freshdesk.apiKey },
  });
  assert.equal(freshdesk.status, 200);
  assertDataSource(freshdesk.data.data_source, { data_source_type: 'FRESHDESK', last_sync_action: 'ADD' });
  const s3 = await client.integrations.connectDataSource({
    authentication: { source: 'S3', access_key: FAKES.s3.accessKey, access_key_secret: FAKES.s3.secret },
  });
  assertDataSource(s3.data.data_source, { data_source_type: 'S3', last_sync_action: 'ADD' });
  assert.ok(!JSON.stringify([freshdesk.data, s3.data]).includes(FAKES.s3.secret));
  assert.equal((await userDataSources(client)).count, 2);

  const invalid = await expectError(client.integrations.connectDataSource({
    authentication: { source: 'S3', access_key: FAKES.s3.accessKey },
  }), 422);
  assert.deepEqual(validationErrors(invalid).map((e) => e.loc), [['body', 'authentication', 'access_key_secret']]);
});
