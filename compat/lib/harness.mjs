// Shared set-up for the compatibility tests: where the server is, how to build SDK clients
// pointed at it, and how to look at the errors the SDK throws.
//
// Kept outside test/ on purpose: `node --test` runs every .mjs file under a test/ folder.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Carbon, CarbonError } from 'carbon-typescript-sdk';

function required(name) {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') {
    // Thrown at import time, so every test file fails (never silently skips) without a server.
    throw new Error(`${name} is not set. The compatibility tests need a running Catchment server: `
      + 'set CATCHMENT_URL (e.g. http://127.0.0.1:8080) and CATCHMENT_API_KEY (an API key of an organization '
      + 'on that server). CompatSdkTest in catchment-server starts one and sets both.');
  }
  return value.trim();
}

/** The server's base URL without a trailing slash (the SDK appends paths such as "/whoami"). */
export const BASE_URL = required('CATCHMENT_URL').replace(/\/+$/, '');
export const API_KEY = required('CATCHMENT_API_KEY');

/**
 * The only change Carbon SDK code needs to talk to Catchment: `basePath` in the client's
 * configuration (the SDK's default is Carbon's hosted API).
 */
export function carbon(options = {}) {
  return new Carbon({ basePath: BASE_URL, ...options });
}

/** The backend pattern: the organization's API key, optionally acting for one customer. */
export function withApiKey(customerId) {
  return carbon(customerId === undefined ? { apiKey: API_KEY } : { apiKey: API_KEY, customerId });
}

/** The frontend pattern: a customer's access token only. */
export function withAccessToken(accessToken) {
  return carbon({ accessToken });
}

const RUN = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
let counter = 0;

/** A customer id no earlier run has used, so tests never see each other's customers. */
export function uniqueCustomerId(label) {
  counter += 1;
  return `compat-${RUN}-${label}-${counter}`;
}

/** Creates a customer the way Carbon does: by the first use of its customer-id. */
export async function createCustomer(label) {
  const customerId = uniqueCustomerId(label);
  const me = await withApiKey(customerId).users.whoAmI();
  assert.equal(me.status, 200);
  assert.equal(me.data.organization_supplied_user_id, customerId);
  return { customerId, user: me.data };
}

/**
 * Awaits a call that must fail, checks that the SDK raised its CarbonError with the given HTTP
 * status, and returns the parsed error body.
 */
export async function expectError(promise, status) {
  let error;
  try {
    const response = await promise;
    assert.fail(`expected HTTP ${status}, got ${response.status}: ${JSON.stringify(response.data)}`);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    error = e;
  }
  assert.ok(error instanceof CarbonError, `expected a CarbonError, got ${error && error.stack}`);
  assert.equal(error.status, status,
    `expected HTTP ${status}, got ${error.status}: ${JSON.stringify(error.responseBody)}`);
  assert.equal(typeof error.responseBody, 'object', `error body is not JSON: ${error.responseBody}`);
  assert.ok(error.responseBody !== null, 'error body is null');
  return error.responseBody;
}

/** Asserts Carbon's `{"detail": "<message>"}` error shape and returns the message. */
export function detailMessage(body) {
  assert.equal(typeof body.detail, 'string', `detail is not a string: ${JSON.stringify(body)}`);
  assert.ok(body.detail.length > 0, 'detail is empty');
  return body.detail;
}

/** Asserts FastAPI's HTTPValidationError shape and returns its entries. */
export function validationErrors(body) {
  assert.ok(Array.isArray(body.detail), `detail is not an array: ${JSON.stringify(body)}`);
  assert.ok(body.detail.length > 0, 'detail is empty');
  for (const entry of body.detail) {
    assert.ok(Array.isArray(entry.loc), `loc is not an array: ${JSON.stringify(entry)}`);
    for (const part of entry.loc) assert.ok(['string', 'number'].includes(typeof part), `bad loc part ${part}`);
    assert.equal(typeof entry.msg, 'string');
    assert.equal(typeof entry.type, 'string');
  }
  return body.detail;
}

/** Asserts an ISO-8601 timestamp string and returns it as milliseconds since the epoch. */
export function timestamp(value, what) {
  assert.equal(typeof value, 'string', `${what} is not a string: ${value}`);
  assert.match(value, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/, `${what} is not ISO-8601: ${value}`);
  const ms = Date.parse(value);
  assert.ok(!Number.isNaN(ms), `${what} does not parse: ${value}`);
  return ms;
}

/** Asserts the fields the SDK's ListUserResponse declares as required, with their types. */
export function assertListUserShape(user) {
  assert.ok(Number.isInteger(user.id), 'id');
  assert.ok(Number.isInteger(user.organization_id), 'organization_id');
  assert.equal(typeof user.organization_supplied_user_id, 'string');
  timestamp(user.created_at, 'created_at');
  timestamp(user.updated_at, 'updated_at');
  assert.ok('deleted_at' in user, 'deleted_at is missing');
  assert.equal(user.deleted_at, null);
  assert.ok('enabled_features' in user, 'enabled_features is missing');
  assert.ok(user.enabled_features === null || typeof user.enabled_features === 'object');
  if ('custom_limits' in user) assert.equal(typeof user.custom_limits, 'object');
  if ('auto_sync_enabled_sources' in user) assert.ok(Array.isArray(user.auto_sync_enabled_sources));
}

/** Asserts the fields the SDK's UserResponse declares as required, with their types. */
export function assertUserShape(user) {
  assertListUserShape(user);
  for (const key of ['num_files_synced', 'num_characters_synced', 'num_tokens_synced']) {
    assert.ok(Number.isInteger(user[key]), `${key} is not an integer: ${user[key]}`);
  }
  for (const key of ['aggregate_file_size', 'aggregate_num_characters', 'aggregate_num_tokens',
    'aggregate_num_embeddings', 'aggregate_num_files_by_source', 'aggregate_num_files_by_file_format']) {
    assert.ok(user[key] !== null && typeof user[key] === 'object' && !Array.isArray(user[key]), `${key} is not an object`);
  }
  assert.ok(Array.isArray(user.unique_file_tags), 'unique_file_tags is not an array');
  if ('connector_settings' in user) assert.equal(typeof user.connector_settings, 'object');
}
