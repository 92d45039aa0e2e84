// Webhooks through the SDK's WebhooksApi: addUrl (POST /add_webhook), urls (POST /webhooks) and
// deleteUrl (DELETE /delete_webhook/{id}). The organization is shared with the other test files
// and earlier runs, so every listing filters by the ids this test created.
//
// The webhooks point at a receiver of our own on 127.0.0.1 (the compat server allowlists it) that
// accepts everything: while they exist, events from the other files' actions may be delivered to
// them, and those deliveries should succeed rather than retry into the void.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { detailMessage, expectError, timestamp, validationErrors, withApiKey } from '../lib/harness.mjs';

const admin = withApiKey();

async function receiver() {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${server.address().port}/carbon/webhooks` };
}

function assertWebhookShape(w) {
  assert.ok(Number.isInteger(w.id), 'id');
  assert.ok(Number.isInteger(w.organization_id), 'organization_id');
  assert.equal(typeof w.url, 'string');
  assert.ok(['ACTIVE', 'FLAGGED'].includes(w.status), `status ${w.status}`);
  assert.ok(w.status_reason === null || typeof w.status_reason === 'string', 'status_reason');
  timestamp(w.created_at, 'created_at');
  timestamp(w.updated_at, 'updated_at');
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('webhooks addUrl, urls and deleteUrl; the signing key is shown only once', async () => {
  const { server, url } = await receiver();
  const created = [];
  try {
    const first = await admin.webhooks.addUrl({ url });
    assert.equal(first.status, 200);
    assertWebhookShape(first.data);
    created.push(first.data.id);
    assert.equal(first.data.url, url);
    assert.equal(first.data.status, 'ACTIVE');
    assert.equal(first.data.status_reason, null);
    assert.match(first.data.signing_key, /^[0-9a-f]{32}$/, 'a 16-byte key as 32 hex characters, as Carbon issues');

    await sleep(20); // distinct created_at values for the ordering below
    const second = await admin.webhooks.addUrl({ url: `${url}?second=1` });
    assert.equal(second.status, 200);
    created.push(second.data.id);
    assert.notEqual(second.data.signing_key, first.data.signing_key);
    assert.equal(second.data.organization_id, first.data.organization_id);

    const ids = [first.data.id, second.data.id];
    const listed = await admin.webhooks.urls({ filters: { ids } });
    assert.equal(listed.status, 200);
    assert.equal(listed.data.count, 2);
    assert.deepEqual(listed.data.results.map((w) => w.id), ids, 'updated_at ascending by default');
    for (const w of listed.data.results) {
      assertWebhookShape(w);
      assert.ok(!('signing_key' in w), 'a listing never carries the key');
    }
    assert.ok(!JSON.stringify(listed.data).includes(first.data.signing_key));
    assert.deepEqual(listed.data.results[0].url, url);

    const newestFirst = await admin.webhooks.urls({ filters: { ids }, order_by: 'created_at', order_dir: 'desc' });
    assert.deepEqual(newestFirst.data.results.map((w) => w.id), [second.data.id, first.data.id]);
    const page = await admin.webhooks.urls({ filters: { ids }, order_by: 'created_at', pagination: { limit: 1, offset: 1 } });
    assert.deepEqual(page.data.results.map((w) => w.id), [second.data.id]);
    assert.equal(page.data.count, 2, 'count is the total, not the page');
    const all = await admin.webhooks.urls({ pagination: { limit: 100 } });
    assert.ok(all.data.count >= 2);
    assert.ok(ids.every((id) => all.data.results.some((w) => w.id === id)));

    const deleted = await admin.webhooks.deleteUrl({ webhookId: first.data.id });
    assert.equal(deleted.status, 200);
    assert.deepEqual(deleted.data, { success: true });
    created.shift();
    const after = await admin.webhooks.urls({ filters: { ids } });
    assert.deepEqual(after.data.results.map((w) => w.id), [second.data.id]);
    assert.equal(after.data.count, 1);
    const gone = await expectError(admin.webhooks.deleteUrl({ webhookId: first.data.id }), 404);
    assert.match(detailMessage(gone), new RegExp(String(first.data.id)));
  } finally {
    for (const id of created) await admin.webhooks.deleteUrl({ webhookId: id });
    server.close();
  }
});

test('webhooks addUrl refuses internal addresses with 400 and a missing url with 422', async () => {
  const before = (await admin.webhooks.urls({ pagination: { limit: 1 } })).data.count;
  for (const [url, address] of [
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
    ['http://10.0.0.1/hooks', '10.0.0.1'],
  ]) {
    const refused = await expectError(admin.webhooks.addUrl({ url }), 400);
    assert.match(detailMessage(refused), new RegExp(address.replaceAll('.', '\\.')));
  }
  const notHttp = await expectError(admin.webhooks.addUrl({ url: 'ftp://127.0.0.1/hooks' }), 400);
  assert.match(detailMessage(notHttp), /http/);
  const missing = await expectError(admin.webhooks.addUrl({}), 422);
  assert.deepEqual(validationErrors(missing).map((e) => e.loc), [['body', 'url']]);
  assert.equal((await admin.webhooks.urls({ pagination: { limit: 1 } })).data.count, before, 'nothing was stored');
});
