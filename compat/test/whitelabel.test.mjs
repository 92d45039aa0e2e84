// White labeling through the SDK's WhiteLabelApi (/white_label/create|list|update|delete) and
// auth.getWhiteLabeling (GET /auth/v1/white_labeling). An organization has one app per data
// source type, so the test starts by deleting whatever an earlier run left behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  createCustomer, detailMessage, expectError, timestamp, validationErrors, withAccessToken, withApiKey,
} from '../lib/harness.mjs';

const admin = withApiKey();

async function clear() {
  const { data } = await admin.whiteLabel.list({ pagination: { limit: 100 } });
  const ids = data.results.map((w) => w.id);
  if (ids.length > 0) assert.equal((await admin.whiteLabel.delete({ ids })).status, 200);
}

test('whiteLabel create, list, update and delete, with secrets only ever masked', async () => {
  await clear();
  const secret = `slack-secret-${randomBytes(8).toString('hex')}`;
  const pickerKey = `AIza-${randomBytes(8).toString('hex')}`;

  const created = await admin.whiteLabel.create([
    { data_source_type: 'GOOGLE_DRIVE', credentials: { client_id: 'client_id_example', redirect_uri: 'https://acme.example/integrations/google', api_key: pickerKey } },
    { data_source_type: 'SLACK', credentials: { client_id: 'slack-app', redirect_uri: 'https://acme.example/integrations/slack', client_secret: secret } },
    { data_source_type: 'SHAREPOINT', credentials: { client_id: 'sp-app', redirect_uri: 'https://acme.example/integrations/sharepoint', file_picker_client_id: 'spa' } },
  ]);
  assert.equal(created.status, 200);
  assert.ok(Array.isArray(created.data));
  assert.deepEqual(created.data.map((w) => w.data_source_type), ['GOOGLE_DRIVE', 'SLACK', 'SHAREPOINT']);
  const [drive, slack] = created.data;
  assert.ok(Number.isInteger(drive.id));
  timestamp(drive.created_at, 'created_at');
  assert.deepEqual(drive.credentials, {
    client_id: 'client_id_example', redirect_uri: 'https://acme.example/integrations/google',
    client_secret: null, api_key: `••••${pickerKey.slice(-4)}`,
  });
  assert.equal(slack.credentials.client_secret, `••••${secret.slice(-4)}`);
  assert.ok(!JSON.stringify(created.data).includes(secret));

  const duplicate = await expectError(admin.whiteLabel.create([
    { data_source_type: 'SLACK', credentials: { client_id: 'again', redirect_uri: 'https://acme.example/cb' } },
  ]), 400);
  assert.match(detailMessage(duplicate), /SLACK/);

  const listed = await admin.whiteLabel.list({ order_by: 'data_source_type', order_dir: 'desc' });
  assert.equal(listed.status, 200);
  assert.equal(listed.data.count, 3);
  assert.deepEqual(listed.data.results.map((w) => w.data_source_type), ['SLACK', 'SHAREPOINT', 'GOOGLE_DRIVE']);
  const filtered = await admin.whiteLabel.list({ filters: { data_source_type: ['SLACK'] } });
  assert.deepEqual(filtered.data.results.map((w) => w.id), [slack.id]);

  const updated = await admin.whiteLabel.update({
    data_source_type: 'SLACK',
    credentials: { client_id: 'slack-app-2', redirect_uri: 'https://acme.example/v2/integrations/slack' },
  });
  assert.equal(updated.status, 200);
  assert.equal(updated.data.id, slack.id);
  assert.equal(updated.data.credentials.client_id, 'slack-app-2');
  assert.equal(updated.data.credentials.client_secret, `••••${secret.slice(-4)}`, 'an omitted secret is kept');

  const { customerId } = await createCustomer('white-labeling');
  const { data: token } = await withApiKey(customerId).auth.getAccessToken();
  const labeling = await withAccessToken(token.access_token).auth.getWhiteLabeling();
  assert.equal(labeling.status, 200);
  assert.equal(typeof labeling.data.remove_branding, 'boolean');
  assert.equal(labeling.data.integrations.SLACK, true);
  assert.equal(labeling.data.integrations.GOOGLE_DRIVE, true);
  assert.equal(labeling.data.integrations.NOTION, false);
  assert.equal(typeof labeling.data.custom_limits, 'object');
  assert.equal(typeof labeling.data.connector_settings, 'object');

  const missing = await expectError(admin.whiteLabel.delete({ ids: [slack.id, 2 ** 40] }), 404);
  assert.match(detailMessage(missing), new RegExp(String(2 ** 40)));
  const invalid = await expectError(admin.whiteLabel.update({ data_source_type: 'GITHUB', credentials: { client_id: 'x', redirect_uri: 'https://a.example' } }), 422);
  assert.deepEqual(validationErrors(invalid).map((e) => e.loc), [['body', 'data_source_type']]);

  assert.equal((await admin.whiteLabel.delete({ ids: created.data.map((w) => w.id) })).status, 200);
  assert.equal((await admin.whiteLabel.list({})).data.count, 0);
  assert.equal((await withApiKey(customerId).auth.getWhiteLabeling()).data.integrations.SLACK, false);
});
