// Carbon's three security schemes, exercised through the SDK: API key, API key + customer-id,
// and customer access tokens minted with GET /auth/v1/access_token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  API_KEY, assertUserShape, carbon, detailMessage, expectError, uniqueCustomerId, validationErrors, withAccessToken,
  withApiKey,
} from '../lib/harness.mjs';

test('auth.getAccessToken mints a token pair; users.whoAmI works with the access token alone', async () => {
  const customerId = uniqueCustomerId('token');
  const minted = await withApiKey(customerId).auth.getAccessToken();
  assert.equal(minted.status, 200);
  const { access_token: accessToken, refresh_token: refreshToken } = minted.data;
  assert.equal(typeof accessToken, 'string');
  assert.equal(typeof refreshToken, 'string');
  assert.ok(accessToken.length >= 20, `access token looks too short: ${accessToken}`);
  assert.ok(refreshToken.length >= 20, `refresh token looks too short: ${refreshToken}`);
  assert.notEqual(accessToken, refreshToken);
  assert.notEqual(accessToken, API_KEY);

  const me = await withAccessToken(accessToken).users.whoAmI();
  assert.equal(me.status, 200);
  assertUserShape(me.data);
  assert.equal(me.data.organization_supplied_user_id, customerId);

  // The same customer seen through the API key with a customer-id header.
  const viaKey = await withApiKey(customerId).users.whoAmI();
  assert.equal(viaKey.data.id, me.data.id);
  assert.equal(viaKey.data.organization_id, me.data.organization_id);
  assert.equal(viaKey.data.organization_supplied_user_id, customerId);

  // Minting another token for the same customer does not create another customer.
  const again = await withApiKey(customerId).auth.getAccessToken();
  assert.notEqual(again.data.access_token, accessToken);
  const meAgain = await withAccessToken(again.data.access_token).users.whoAmI();
  assert.equal(meAgain.data.id, me.data.id);
});

test('users.whoAmI with API key + customer-id creates the customer on first use', async () => {
  const customerId = uniqueCustomerId('first-use');
  const before = await withApiKey().users.list({ filters: { customer_ids: [customerId] }, include_count: true });
  assert.equal(before.data.count, 0);
  assert.deepEqual(before.data.users, []);

  const me = await withApiKey(customerId).users.whoAmI();
  assert.equal(me.status, 200);
  assertUserShape(me.data);
  assert.equal(me.data.organization_supplied_user_id, customerId);
  assert.equal(me.data.num_files_synced, 0);
  assert.deepEqual(me.data.unique_file_tags, []);

  const after = await withApiKey().users.list({ filters: { customer_ids: [customerId] }, include_count: true });
  assert.equal(after.data.count, 1);
  assert.equal(after.data.users[0].id, me.data.id);
});

test('a bad API key is rejected with 401 and a detail message', async () => {
  const bad = carbon({ apiKey: 'not-a-real-key', customerId: uniqueCustomerId('bad-key') });
  detailMessage(await expectError(bad.users.whoAmI(), 401));
  detailMessage(await expectError(bad.auth.getAccessToken(), 401));
  detailMessage(await expectError(bad.users.list({}), 401));
});

test('a bad access token is rejected with 401 and a detail message', async () => {
  detailMessage(await expectError(withAccessToken('not-a-real-token').users.whoAmI(), 401));
});

test('an access token cannot call organization-only endpoints (403)', async () => {
  const customerId = uniqueCustomerId('token-org');
  const { data: { access_token: accessToken } } = await withApiKey(customerId).auth.getAccessToken();
  const client = withAccessToken(accessToken);
  // The SDK declares /organization, /list_users, /user ... as API-key only, so an access-token
  // client sends no authorization header there; send the token explicitly, as a frontend that
  // misuses its token would.
  const asToken = { headers: { authorization: `Token ${accessToken}` } };
  detailMessage(await expectError(client.organizations.get(asToken), 403));
  detailMessage(await expectError(client.users.list({}, asToken), 403));
  detailMessage(await expectError(client.users.get({ customer_id: customerId }, asToken), 403));
  detailMessage(await expectError(client.users.delete({ customer_ids: [customerId] }, asToken), 403));
  // Minting tokens needs the API key too (the SDK does send the token here).
  detailMessage(await expectError(client.auth.getAccessToken(), 403));
  // The customer is still there.
  const me = await client.users.whoAmI();
  assert.equal(me.data.organization_supplied_user_id, customerId);
});

test('an access-token-only client calling an organization endpoint as the SDK builds it is rejected', async () => {
  const customerId = uniqueCustomerId('token-org-plain');
  const { data: { access_token: accessToken } } = await withApiKey(customerId).auth.getAccessToken();
  // Here the SDK sends no credentials at all (see above): 401, with Carbon's detail shape.
  detailMessage(await expectError(withAccessToken(accessToken).organizations.get(), 401));
});

test('the API key without customer-id cannot call customer endpoints (422 on the missing header)', async () => {
  const client = withApiKey();
  for (const call of [() => client.users.whoAmI(), () => client.auth.getAccessToken()]) {
    const errors = validationErrors(await expectError(call(), 422));
    assert.ok(errors.some((e) => e.loc.includes('customer-id')),
      `no error names the customer-id header: ${JSON.stringify(errors)}`);
  }
});
