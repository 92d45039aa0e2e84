// Customers ("users" in Carbon's API) through the SDK's UsersApi: get, list, update_users,
// modify_user_configuration (toggleUserFeatures), delete, and their error paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertListUserShape, assertUserShape, createCustomer, detailMessage, expectError, timestamp, uniqueCustomerId,
  validationErrors, withAccessToken, withApiKey,
} from '../lib/harness.mjs';

const admin = withApiKey();

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Three customers created in order a, b, c, a few milliseconds apart. */
async function threeCustomers(label) {
  const created = [];
  for (const name of ['a', 'b', 'c']) {
    created.push(await createCustomer(`${label}-${name}`));
    await pause(5);
  }
  return created;
}

function ids(response) {
  return response.data.users.map((u) => u.organization_supplied_user_id);
}

test('users.get returns the customer that whoAmI describes', async () => {
  const { customerId, user } = await createCustomer('get');
  const response = await admin.users.get({ customer_id: customerId });
  assert.equal(response.status, 200);
  assertUserShape(response.data);
  assert.equal(response.data.id, user.id);
  assert.equal(response.data.organization_id, user.organization_id);
  assert.equal(response.data.organization_supplied_user_id, customerId);
  assert.equal(response.data.created_at, user.created_at);
  assert.equal(response.data.num_files_synced, 0);
  assert.equal(response.data.num_characters_synced, 0);
  assert.equal(response.data.num_tokens_synced, 0);
});

test('users.get for an unknown customer is 404 with a detail message', async () => {
  const unknown = uniqueCustomerId('never-created');
  detailMessage(await expectError(admin.users.get({ customer_id: unknown }), 404));
  // Looking up does not create it.
  const listed = await admin.users.list({ filters: { customer_ids: [unknown] }, include_count: true });
  assert.equal(listed.data.count, 0);
});

test('users.get without customer_id is a 422 naming the field', async () => {
  const errors = validationErrors(await expectError(admin.users.get({}), 422));
  assert.ok(errors.some((e) => e.loc.at(-1) === 'customer_id' && e.type === 'missing'),
    `no 'missing' error for customer_id: ${JSON.stringify(errors)}`);
});

test('users.list filters by customer_ids and carbon_user_ids and reports count', async () => {
  const [a, b, c] = await threeCustomers('filter');
  const all = [a.customerId, b.customerId, c.customerId];

  const byCustomer = await admin.users.list({ filters: { customer_ids: all }, include_count: true });
  assert.equal(byCustomer.status, 200);
  assert.equal(byCustomer.data.count, 3);
  assert.deepEqual(new Set(ids(byCustomer)), new Set(all));
  byCustomer.data.users.forEach(assertListUserShape);
  for (const u of byCustomer.data.users) {
    assert.equal(u.organization_id, a.user.organization_id);
  }

  const byCarbonId = await admin.users.list({ filters: { carbon_user_ids: [b.user.id] }, include_count: true });
  assert.equal(byCarbonId.data.count, 1);
  assert.deepEqual(ids(byCarbonId), [b.customerId]);
  assert.equal(byCarbonId.data.users[0].id, b.user.id);

  // Both filters together narrow further.
  const both = await admin.users.list({
    filters: { customer_ids: [a.customerId, b.customerId], carbon_user_ids: [b.user.id, c.user.id] },
    include_count: true,
  });
  assert.deepEqual(ids(both), [b.customerId]);
  assert.equal(both.data.count, 1);

  // Without include_count, no count is given.
  const uncounted = await admin.users.list({ filters: { customer_ids: all } });
  assert.equal(uncounted.data.users.length, 3);
  assert.ok(uncounted.data.count === null || uncounted.data.count === undefined,
    `count without include_count: ${uncounted.data.count}`);
});

test('users.list orders by created_at and updated_at in both directions', async () => {
  const [a, b, c] = await threeCustomers('order');
  const all = [a.customerId, b.customerId, c.customerId];
  const filters = { customer_ids: all };

  assert.deepEqual(ids(await admin.users.list({ filters, order_by: 'created_at', order_dir: 'asc' })), all);
  assert.deepEqual(ids(await admin.users.list({ filters, order_by: 'created_at', order_dir: 'desc' })),
    [...all].reverse());
  // Carbon's defaults: created_at, descending.
  assert.deepEqual(ids(await admin.users.list({ filters })), [...all].reverse());

  const asc = await admin.users.list({ filters, order_by: 'created_at', order_dir: 'asc' });
  const created = asc.data.users.map((u) => timestamp(u.created_at, 'created_at'));
  assert.ok(created[0] <= created[1] && created[1] <= created[2], `created_at not ascending: ${created}`);

  // Touch a: it becomes the most recently updated.
  await pause(5);
  await admin.users.updateUsers({ customer_ids: [a.customerId], max_files: 7 });
  const byUpdate = ids(await admin.users.list({ filters, order_by: 'updated_at', order_dir: 'desc' }));
  assert.equal(byUpdate[0], a.customerId, `updated_at desc: ${byUpdate}`);
  const byUpdateAsc = ids(await admin.users.list({ filters, order_by: 'updated_at', order_dir: 'asc' }));
  assert.equal(byUpdateAsc[2], a.customerId, `updated_at asc: ${byUpdateAsc}`);
  assert.deepEqual(byUpdateAsc, [...byUpdate].reverse());
});

test('users.list pages with limit, offset and starting_id', async () => {
  const [a, b, c] = await threeCustomers('page');
  const all = [a.customerId, b.customerId, c.customerId];
  const base = { filters: { customer_ids: all }, order_by: 'created_at', order_dir: 'asc', include_count: true };

  const first = await admin.users.list({ ...base, pagination: { limit: 2, offset: 0 } });
  assert.deepEqual(ids(first), [a.customerId, b.customerId]);
  assert.equal(first.data.count, 3, 'count is the total, not the page size');

  const second = await admin.users.list({ ...base, pagination: { limit: 2, offset: 2 } });
  assert.deepEqual(ids(second), [c.customerId]);
  assert.equal(second.data.count, 3);

  const past = await admin.users.list({ ...base, pagination: { limit: 2, offset: 3 } });
  assert.deepEqual(ids(past), []);

  const one = await admin.users.list({ ...base, pagination: { limit: 1, offset: 1 } });
  assert.deepEqual(ids(one), [b.customerId]);

  // starting_id: a keyset cursor, rows after the given id in the chosen direction.
  const after = await admin.users.list({ ...base, pagination: { limit: 10, starting_id: a.user.id } });
  assert.deepEqual(ids(after), [b.customerId, c.customerId]);
  const before = await admin.users.list({ ...base, order_dir: 'desc', pagination: { limit: 10, starting_id: c.user.id } });
  assert.deepEqual(ids(before), [b.customerId, a.customerId]);
});

test('users.list rejects invalid input with 422 and a detail array', async () => {
  const errors = validationErrors(await expectError(admin.users.list({ order_by: 'name' }), 422));
  assert.ok(errors.some((e) => e.loc.at(-1) === 'order_by'), JSON.stringify(errors));
  const paging = validationErrors(await expectError(admin.users.list({ pagination: { limit: -1 } }), 422));
  assert.ok(paging.some((e) => e.loc.includes('pagination') && e.loc.at(-1) === 'limit'), JSON.stringify(paging));
});

test('users.updateUsers sets limits and auto-sync settings that UserResponse shows', async () => {
  const [a, b, untouched] = await threeCustomers('update');
  const update = {
    customer_ids: [a.customerId, b.customerId],
    max_files: 11,
    max_files_per_upload: 12,
    max_characters: 13000,
    max_characters_per_file: 14000,
    max_characters_per_upload: 15000,
    auto_sync_enabled_sources: ['GOOGLE_DRIVE', 'NOTION'],
    auto_sync_interval: 6,
  };
  const response = await admin.users.updateUsers(update);
  assert.equal(response.status, 200);
  assert.deepEqual(response.data, { success: true });

  for (const { customerId } of [a, b]) {
    const { data: user } = await admin.users.get({ customer_id: customerId });
    assertUserShape(user);
    assert.equal(user.custom_limits.max_files, 11);
    assert.equal(user.custom_limits.max_files_per_upload, 12);
    assert.equal(user.custom_limits.max_characters, 13000);
    assert.equal(user.custom_limits.max_characters_per_file, 14000);
    assert.equal(user.custom_limits.max_characters_per_upload, 15000);
    assert.deepEqual([...user.auto_sync_enabled_sources].sort(), ['GOOGLE_DRIVE', 'NOTION']);
    assert.equal(user.connector_settings.auto_sync_interval, 6);
  }
  // The list view shows the same limits and sources.
  const listed = await admin.users.list({ filters: { customer_ids: [a.customerId] } });
  assert.equal(listed.data.users[0].custom_limits.max_characters_per_upload, 15000);
  assert.deepEqual([...listed.data.users[0].auto_sync_enabled_sources].sort(), ['GOOGLE_DRIVE', 'NOTION']);

  // The customer not named is unchanged.
  const { data: other } = await admin.users.get({ customer_id: untouched.customerId });
  assert.notEqual(other.custom_limits.max_files, 11);

  // A later update changes only the fields it names; "ALL" enables every source.
  await admin.users.updateUsers({ customer_ids: [a.customerId], max_files: 21, auto_sync_enabled_sources: 'ALL' });
  const { data: later } = await withApiKey(a.customerId).users.whoAmI();
  assert.equal(later.custom_limits.max_files, 21);
  assert.equal(later.custom_limits.max_files_per_upload, 12);
  assert.ok(later.auto_sync_enabled_sources.includes('ALL'), JSON.stringify(later.auto_sync_enabled_sources));
  assert.equal(later.connector_settings.auto_sync_interval, 6);
  // -1 means unlimited.
  await admin.users.updateUsers({ customer_ids: [a.customerId], max_characters: -1 });
  const { data: unlimited } = await withApiKey(a.customerId).users.whoAmI();
  assert.equal(unlimited.custom_limits.max_characters, -1);
});

test('users.updateUsers: unknown customers are 404 and nothing changes; bad values are 422', async () => {
  const { customerId } = await createCustomer('update-errors');
  const unknown = uniqueCustomerId('update-unknown');
  detailMessage(await expectError(admin.users.updateUsers({ customer_ids: [customerId, unknown], max_files: 99 }), 404));
  const { data: user } = await admin.users.get({ customer_id: customerId });
  assert.notEqual(user.custom_limits.max_files, 99);

  const interval = validationErrors(await expectError(
    admin.users.updateUsers({ customer_ids: [customerId], auto_sync_interval: 5 }), 422));
  assert.ok(interval.some((e) => e.loc.at(-1) === 'auto_sync_interval'), JSON.stringify(interval));
  const missing = validationErrors(await expectError(admin.users.updateUsers({ max_files: 1 }), 422));
  assert.ok(missing.some((e) => e.loc.at(-1) === 'customer_ids' && e.type === 'missing'), JSON.stringify(missing));
});

test('users.toggleUserFeatures (modify_user_configuration) sets enabled_features.sparse_vectors', async () => {
  const customerId = uniqueCustomerId('features');
  const { data: { access_token: accessToken } } = await withApiKey(customerId).auth.getAccessToken();
  const asCustomer = withAccessToken(accessToken);

  const response = await asCustomer.users.toggleUserFeatures({
    configuration_key_name: 'sparse_vectors',
    value: { enabled: true },
  });
  assert.equal(response.status, 200);
  assert.deepEqual(response.data, { success: true });
  const { data: me } = await asCustomer.users.whoAmI();
  assert.deepEqual(me.enabled_features.sparse_vectors, { enabled: true });

  // The same through the API key + customer-id, and visible to the organization.
  await withApiKey(customerId).users.toggleUserFeatures({
    configuration_key_name: 'sparse_vectors',
    value: { enabled: false },
  });
  const { data: viaOrg } = await admin.users.get({ customer_id: customerId });
  assert.deepEqual(viaOrg.enabled_features.sparse_vectors, { enabled: false });
  const listed = await admin.users.list({ filters: { customer_ids: [customerId] } });
  assert.deepEqual(listed.data.users[0].enabled_features.sparse_vectors, { enabled: false });

  const errors = validationErrors(await expectError(
    asCustomer.users.toggleUserFeatures({ configuration_key_name: 'dense_vectors', value: {} }), 422));
  assert.ok(errors.some((e) => e.loc.at(-1) === 'configuration_key_name'), JSON.stringify(errors));
});

test('users.delete removes customers; unknown ids are 404 and delete nothing', async () => {
  const [a, b, keep] = await threeCustomers('delete');
  const { data: { access_token: tokenOfA } } = await withApiKey(a.customerId).auth.getAccessToken();

  const unknown = uniqueCustomerId('delete-unknown');
  detailMessage(await expectError(admin.users.delete({ customer_ids: [a.customerId, unknown] }), 404));
  const stillThere = await admin.users.list({ filters: { customer_ids: [a.customerId] }, include_count: true });
  assert.equal(stillThere.data.count, 1, 'a failed delete must delete nothing');

  const response = await admin.users.delete({ customer_ids: [a.customerId, b.customerId] });
  assert.equal(response.status, 200);
  assert.deepEqual(response.data, { success: true });

  detailMessage(await expectError(admin.users.get({ customer_id: a.customerId }), 404));
  detailMessage(await expectError(admin.users.get({ customer_id: b.customerId }), 404));
  const left = await admin.users.list({
    filters: { customer_ids: [a.customerId, b.customerId, keep.customerId] },
    include_count: true,
  });
  assert.deepEqual(ids(left), [keep.customerId]);
  assert.equal(left.data.count, 1);

  // A deleted customer's access token no longer works.
  detailMessage(await expectError(withAccessToken(tokenOfA).users.whoAmI(), 401));

  const missing = validationErrors(await expectError(admin.users.delete({}), 422));
  assert.ok(missing.some((e) => e.loc.at(-1) === 'customer_ids'), JSON.stringify(missing));
});
