// The organization through the SDK's OrganizationsApi: GET /organization and
// POST /organization/update, whose global_user_config gives customers their defaults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import {
  createCustomer, detailMessage, expectError, timestamp, validationErrors, withApiKey,
} from '../lib/harness.mjs';

const admin = withApiKey();

test('organizations.get returns the OrganizationResponse of the API key\'s organization', async () => {
  const response = await admin.organizations.get();
  assert.equal(response.status, 200);
  const org = response.data;
  assert.ok(Number.isInteger(org.id), 'id');
  assert.equal(typeof org.name, 'string');
  assert.ok(org.name.length > 0, 'name is empty');
  assert.equal(typeof org.remove_branding, 'boolean');
  for (const key of ['aggregate_file_size', 'aggregate_num_characters', 'aggregate_num_tokens',
    'aggregate_num_embeddings', 'aggregate_num_files_by_source', 'aggregate_num_files_by_file_format']) {
    assert.ok(org[key] !== null && typeof org[key] === 'object', `${key} is not an object`);
  }
  assert.ok('file_statistics_aggregated_at' in org, 'file_statistics_aggregated_at is missing');
  if (org.file_statistics_aggregated_at !== null) timestamp(org.file_statistics_aggregated_at, 'file_statistics_aggregated_at');
  const created = timestamp(org.created_at, 'created_at');
  const updated = timestamp(org.updated_at, 'updated_at');
  assert.ok(updated >= created, 'updated_at before created_at');
  for (const key of ['connector_settings', 'global_user_config', 'file_sync_usage', 'logging_settings']) {
    if (key in org) assert.equal(typeof org[key], 'object', `${key} is not an object`);
  }

  // The customers of this API key belong to this organization.
  const { user } = await createCustomer('org-member');
  assert.equal(user.organization_id, org.id);
});

test('organizations.update sets global_user_config defaults and data source configs', async () => {
  const { data: before } = await admin.organizations.get();
  // Values unlikely to be set by anyone else, so concurrent runs do not fool the assertions.
  const perFile = 100000 + randomInt(900000);
  const perUpload = 1000 + randomInt(9000);

  // A customer with a value of its own, and one without.
  const own = await createCustomer('org-own-limit');
  await admin.users.updateUsers({ customer_ids: [own.customerId], max_characters_per_file: 4242 });

  const response = await admin.organizations.update({
    global_user_config: { max_characters_per_file: perFile, max_files_per_upload: perUpload },
    data_source_configs: {
      GOOGLE_DRIVE: { allowed_file_formats: ['PDF', 'DOCX'], google_workspace_docs_save_as: 'PDF' },
    },
  });
  assert.equal(response.status, 200);
  assert.deepEqual(response.data, { success: true });

  const { data: org } = await admin.organizations.get();
  assert.equal(org.id, before.id);
  assert.equal(org.global_user_config.max_characters_per_file, perFile);
  assert.equal(org.global_user_config.max_files_per_upload, perUpload);
  const drive = org.connector_settings.GOOGLE_DRIVE;
  assert.ok(drive, `connector_settings has no GOOGLE_DRIVE: ${JSON.stringify(org.connector_settings)}`);
  assert.deepEqual([...drive.allowed_file_formats].sort(), ['DOCX', 'PDF']);
  assert.equal(drive.google_workspace_docs_save_as, 'PDF');
  assert.ok(timestamp(org.updated_at, 'updated_at') >= timestamp(before.updated_at, 'updated_at'));

  // Defaults reach customers that did not set their own ...
  const fresh = await createCustomer('org-default');
  assert.equal(fresh.user.custom_limits.max_characters_per_file, perFile);
  assert.equal(fresh.user.custom_limits.max_files_per_upload, perUpload);
  const { data: freshViaGet } = await admin.users.get({ customer_id: fresh.customerId });
  assert.equal(freshViaGet.custom_limits.max_characters_per_file, perFile);
  // ... while a customer's own value wins.
  const { data: ownNow } = await withApiKey(own.customerId).users.whoAmI();
  assert.equal(ownNow.custom_limits.max_characters_per_file, 4242);
  assert.equal(ownNow.custom_limits.max_files_per_upload, perUpload);

  // An update naming only one field keeps the others.
  await admin.organizations.update({ global_user_config: { max_files_per_upload: perUpload + 1 } });
  const { data: after } = await admin.organizations.get();
  assert.equal(after.global_user_config.max_characters_per_file, perFile);
  assert.equal(after.global_user_config.max_files_per_upload, perUpload + 1);
  assert.deepEqual([...after.connector_settings.GOOGLE_DRIVE.allowed_file_formats].sort(), ['DOCX', 'PDF']);
});

test('organizations.update rejects invalid input with 422 and a detail array', async () => {
  const interval = validationErrors(await expectError(
    admin.organizations.update({ global_user_config: { auto_sync_interval: 5 } }), 422));
  assert.ok(interval.some((e) => e.loc.includes('global_user_config') && e.loc.at(-1) === 'auto_sync_interval'),
    JSON.stringify(interval));
  const source = validationErrors(await expectError(
    admin.organizations.update({ data_source_configs: { NOT_A_SOURCE: { allowed_file_formats: [] } } }), 422));
  assert.ok(source.some((e) => e.loc.includes('data_source_configs')), JSON.stringify(source));
});

test('organization endpoints reject a customer-scoped call without the API key', async () => {
  const { customerId } = await createCustomer('org-token');
  const { data: { access_token: accessToken } } = await withApiKey(customerId).auth.getAccessToken();
  const asToken = { headers: { authorization: `Token ${accessToken}` } };
  detailMessage(await expectError(admin.organizations.update({ global_user_config: { max_files: 1 } }, asToken), 403));
  const { data: org } = await admin.organizations.get();
  assert.notEqual(org.global_user_config.max_files, 1);
});
