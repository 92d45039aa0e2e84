// integrations.getOauthUrl (POST /integrations/oauth_url) through the SDK for the 17 OAuth
// services: each URL's host and path against the provider's real authorize endpoint (the
// provider reference, compat's copy of providers.md facts), the parameters a provider needs, the
// validation errors, `scopes`/`scope`, white-label apps, and Zotero's OAuth 1.0a flow completed
// against the fake. Runs in the integrations organization (see lib/integrations.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { carbon, detailMessage, expectError, validationErrors } from '../lib/harness.mjs';
import {
  CLIENT_IDS, FAKES, assertDataSource, browse, callbackUrl, integrations, newCustomer, parseUrl, userDataSources,
} from '../lib/integrations.mjs';

// One entry per service, from the providers' documentation (authorize endpoint, required
// parameters, scope separator) and Carbon's / Catchment's documented callback slugs.
//   input: the connect fields the request needs; origin/path: the real authorize endpoint;
//   scopeParam: where the scopes go (null: the provider takes none); sep: their separator;
//   includes: scopes a read-only connection must ask for; extra: parameters the provider requires;
//   pkce: true where the provider takes S256 from a confidential client, false where it has none.
const SERVICENOW_APP = {
  instance_subdomain: 'acme-dev',
  client_id: `sn-client-${randomBytes(4).toString('hex')}`,
  client_secret: `sn-secret-${randomBytes(8).toString('hex')}`,
  redirect_uri: 'https://connect.acme.example/integrations/servicenow',
};
const CASES = [
  { service: 'BOX', origin: 'https://account.box.com', path: '/api/oauth2/authorize', slug: 'box',
    scopeParam: 'scope', sep: ' ', includes: ['root_readonly'] },
  { service: 'CONFLUENCE', input: { confluence_subdomain: 'acme' }, origin: 'https://auth.atlassian.com', path: '/authorize',
    slug: 'confluence', scopeParam: 'scope', sep: ' ', includes: ['read:confluence-content.all', 'offline_access'],
    extra: { audience: 'api.atlassian.com', prompt: 'consent' } },
  { service: 'DROPBOX', origin: 'https://www.dropbox.com', path: '/oauth2/authorize', slug: 'dropbox', scopeParam: 'scope',
    sep: ' ', includes: ['account_info.read', 'files.metadata.read', 'files.content.read'],
    extra: { token_access_type: 'offline' }, pkce: true },
  { service: 'GMAIL', origin: 'https://accounts.google.com', path: '/o/oauth2/v2/auth', slug: 'gmail', scopeParam: 'scope',
    sep: ' ', includes: ['https://www.googleapis.com/auth/gmail.readonly', 'openid', 'email'],
    extra: { access_type: 'offline', prompt: 'consent' }, pkce: true },
  { service: 'GOOGLE_DRIVE', origin: 'https://accounts.google.com', path: '/o/oauth2/v2/auth', slug: 'google',
    scopeParam: 'scope', sep: ' ', includes: ['https://www.googleapis.com/auth/drive.readonly', 'openid', 'email'],
    extra: { access_type: 'offline', prompt: 'consent' }, pkce: true },
  { service: 'GOOGLE_CLOUD_STORAGE', origin: 'https://accounts.google.com', path: '/o/oauth2/v2/auth',
    slug: 'google_cloud_storage', scopeParam: 'scope', sep: ' ',
    includes: ['https://www.googleapis.com/auth/devstorage.read_only', 'openid', 'email'],
    extra: { access_type: 'offline', prompt: 'consent' }, pkce: true },
  { service: 'INTERCOM', origin: 'https://app.intercom.com', path: '/oauth', slug: 'intercom', scopeParam: null },
  { service: 'NOTION', origin: 'https://api.notion.com', path: '/v1/oauth/authorize', slug: 'notion', scopeParam: null,
    extra: { owner: 'user', response_type: 'code' } },
  { service: 'ONEDRIVE', origin: 'https://login.microsoftonline.com', path: '/common/oauth2/v2.0/authorize',
    slug: 'onedrive', scopeParam: 'scope', sep: ' ', includes: ['offline_access', 'User.Read', 'Files.Read.All'],
    extra: { response_mode: 'query' }, pkce: true },
  { service: 'OUTLOOK', input: { microsoft_tenant: '72f988bf-86f1-41af-91ab-2d7cd011db47' },
    origin: 'https://login.microsoftonline.com', path: '/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/authorize',
    slug: 'outlook', scopeParam: 'scope', sep: ' ', includes: ['offline_access', 'User.Read', 'Mail.Read'],
    extra: { response_mode: 'query' }, pkce: true },
  { service: 'SHAREPOINT', input: { microsoft_tenant: 'contoso.onmicrosoft.com', sharepoint_site_name: 'Engineering' },
    origin: 'https://login.microsoftonline.com', path: '/contoso.onmicrosoft.com/oauth2/v2.0/authorize',
    slug: 'sharepoint', scopeParam: 'scope', sep: ' ',
    includes: ['offline_access', 'User.Read', 'Sites.Read.All', 'Files.Read.All'], extra: { response_mode: 'query' }, pkce: true },
  { service: 'SALESFORCE', input: { salesforce_domain: 'login' }, origin: 'https://login.salesforce.com',
    path: '/services/oauth2/authorize', slug: 'salesforce', scopeParam: 'scope', sep: ' ',
    includes: ['api', 'refresh_token'], extra: { prompt: 'consent' }, pkce: true },
  // Slack takes bot scopes in `scope` and user scopes in `user_scope`, comma-separated.
  { service: 'SLACK', origin: 'https://slack.com', path: '/oauth/v2/authorize', slug: 'slack',
    scopeParam: ['scope', 'user_scope'], sep: ',', includes: ['channels:read', 'channels:history'] },
  { service: 'ZENDESK', input: { zendesk_subdomain: 'acme-support' }, origin: 'https://acme-support.zendesk.com',
    path: '/oauth/authorizations/new', slug: 'zendesk', scopeParam: 'scope', sep: ' ', includes: ['read'], pkce: true },
  { service: 'GONG', input: { gong_account_email: 'ops@acme.example' }, origin: 'https://app.gong.io', path: '/oauth2/authorize',
    slug: 'gong', scopeParam: 'scope', sep: ' ', includes: ['api:calls:read:transcript'], pkce: false },
  // ServiceNow: the instance's own app, registered with Catchment's callback (or a CNAME of it).
  { service: 'SERVICENOW', input: { servicenow_credentials: SERVICENOW_APP }, origin: 'https://acme-dev.service-now.com',
    path: '/oauth_auth.do', clientId: SERVICENOW_APP.client_id, redirectUri: SERVICENOW_APP.redirect_uri, scopeParam: 'scope',
    sep: ' ' },
];
// Where the provider reference lists response_type=code among the authorize parameters.
const RESPONSE_TYPE_OPTIONAL = new Set(['SLACK', 'INTERCOM']);
const STATE = /^[A-Za-z0-9_~.-]{32,}$/;

function checkOauthUrl(c, oauthUrl) {
  const { origin, path, params } = parseUrl(oauthUrl);
  const what = `${c.service}: ${oauthUrl}`;
  assert.equal(origin, c.origin, what);
  assert.equal(path, c.path, what);
  assert.equal(params.client_id, c.clientId ?? CLIENT_IDS[c.service], what);
  assert.equal(params.redirect_uri, c.redirectUri ?? callbackUrl(c.slug), what);
  assert.match(params.state ?? '', STATE, what);
  if (RESPONSE_TYPE_OPTIONAL.has(c.service)) {
    if ('response_type' in params) assert.equal(params.response_type, 'code', what);
  } else {
    assert.equal(params.response_type, 'code', what);
  }
  for (const [name, value] of Object.entries(c.extra ?? {})) assert.equal(params[name], value, `${name} of ${what}`);
  if (c.scopeParam === null) {
    assert.ok(!('scope' in params), `${c.service} takes no scopes: ${oauthUrl}`);
  } else if (c.includes) {
    const names = Array.isArray(c.scopeParam) ? c.scopeParam : [c.scopeParam];
    const present = names.filter((n) => n in params);
    assert.ok(present.length > 0, `no ${names.join(' or ')} in ${what}`);
    const scopes = present.flatMap((n) => params[n].split(c.sep));
    for (const s of scopes) assert.ok(s.length > 0 && !/\s/.test(s), `scope "${s}" of ${what} (separator "${c.sep}")`);
    for (const s of c.includes) assert.ok(scopes.includes(s), `${c.service} must ask for ${s}: ${scopes}`);
  }
  if (c.pkce === true) {
    assert.match(params.code_challenge ?? '', /^[A-Za-z0-9_-]{43}$/, `S256 code_challenge of ${what}`);
    assert.equal(params.code_challenge_method, 'S256', what);
  } else if (c.pkce === false) {
    assert.ok(!('code_challenge' in params), `${c.service} takes no PKCE: ${what}`);
  }
  // No secret ever rides in a URL the browser sees.
  assert.ok(!('client_secret' in params), what);
  assert.ok(!oauthUrl.includes(SERVICENOW_APP.client_secret), what);
  return params;
}

test('getOauthUrl gives each OAuth 2.0 service its provider authorize URL with client_id, redirect_uri, state and scopes', async () => {
  const { client } = await newCustomer('oauth-url');
  const states = new Set();
  for (const c of CASES) {
    const response = await client.integrations.getOauthUrl({ service: c.service, ...c.input });
    assert.equal(response.status, 200, c.service);
    assert.deepEqual(Object.keys(response.data), ['oauth_url']);
    const params = checkOauthUrl(c, response.data.oauth_url);
    states.add(params.state);
  }
  assert.equal(states.size, CASES.length, 'every URL has its own state');
});

test('getOauthUrl with the SDK README example body, and with a customer access token (the Carbon Connect pattern)', async () => {
  const { client } = await newCustomer('oauth-url-example');
  // The usage example of carbon.integrations.getOauthUrl in the SDK README, minus embedding_model
  // (OPENAI needs OpenAI credentials on the server).
  const example = await client.integrations.getOauthUrl({
    scopes: [], service: 'BOX', chunk_size: 1500, chunk_overlap: 20, skip_embedding_generation: false,
    generate_sparse_vectors: false, prepend_filename_to_chunks: false, sync_files_on_connection: true,
    set_page_as_boundary: false, connecting_new_account: false, use_ocr: false, parse_pdf_tables_with_ocr: false,
    enable_file_picker: true, sync_source_items: true, incremental_sync: false,
  });
  assert.equal(example.status, 200);
  const box = CASES.find((c) => c.service === 'BOX');
  const first = checkOauthUrl(box, example.data.oauth_url);

  const { data: token } = await client.auth.getAccessToken();
  const frontend = carbon({ accessToken: token.access_token });
  const viaToken = await frontend.integrations.getOauthUrl({ service: 'BOX', tags: { team: 'support' } });
  const second = checkOauthUrl(box, viaToken.data.oauth_url);
  assert.notEqual(second.state, first.state);
});

test('getOauthUrl: `scopes` replaces the default scopes exactly; the older `scope` string is accepted', async () => {
  const { client } = await newCustomer('oauth-scopes');
  const drive = parseUrl((await client.integrations.getOauthUrl({
    service: 'GOOGLE_DRIVE', scopes: ['https://www.googleapis.com/auth/drive.file'],
  })).data.oauth_url);
  assert.equal(drive.params.scope, 'https://www.googleapis.com/auth/drive.file');

  const slack = parseUrl((await client.integrations.getOauthUrl({
    service: 'SLACK', scopes: ['channels:read', 'search:read'],
  })).data.oauth_url);
  const slackScopes = ['scope', 'user_scope'].filter((n) => n in slack.params).map((n) => slack.params[n]);
  assert.deepEqual(slackScopes, ['channels:read,search:read'], 'Slack scopes are comma-separated');

  const dropbox = parseUrl((await client.integrations.getOauthUrl({
    service: 'DROPBOX', scope: 'files.metadata.read account_info.read',
  })).data.oauth_url);
  assert.equal(dropbox.params.scope, 'files.metadata.read account_info.read');

  // One element is one scope: an element holding two would silently widen the grant.
  const twoInOne = await expectError(client.integrations.getOauthUrl({
    service: 'GOOGLE_DRIVE', scopes: ['https://www.googleapis.com/auth/drive.readonly email'],
  }), 422);
  assert.deepEqual(validationErrors(twoInOne)[0].loc, ['body', 'scopes', 0]);
});

test('getOauthUrl validation: each service-specific input is a 422 naming the field', async () => {
  const { client } = await newCustomer('oauth-422');
  const missing = [
    ['ZENDESK', {}, ['body', 'zendesk_subdomain']],
    ['ZENDESK', { zendesk_subdomain: '   ' }, ['body', 'zendesk_subdomain']],
    ['SHAREPOINT', { sharepoint_site_name: 'Engineering' }, ['body', 'microsoft_tenant']],
    ['CONFLUENCE', {}, ['body', 'confluence_subdomain']],
    ['SALESFORCE', {}, ['body', 'salesforce_domain']],
    ['GONG', {}, ['body', 'gong_account_email']],
    ['SERVICENOW', {}, ['body', 'servicenow_credentials']],
    ['SERVICENOW', { servicenow_credentials: { ...SERVICENOW_APP, client_secret: undefined } },
      ['body', 'servicenow_credentials', 'client_secret']],
    // A value that fills a host name must be a host-name part, never a way to another host.
    ['ZENDESK', { zendesk_subdomain: 'evil.example/x' }, ['body', 'zendesk_subdomain']],
    ['ONEDRIVE', { microsoft_tenant: '../evil' }, ['body', 'microsoft_tenant']],
    ['SERVICENOW', { servicenow_credentials: { ...SERVICENOW_APP, instance_subdomain: 'evil.example/x' } },
      ['body', 'servicenow_credentials', 'instance_subdomain']],
  ];
  for (const [service, input, loc] of missing) {
    const body = await expectError(client.integrations.getOauthUrl({ service, ...input }), 422);
    const errors = validationErrors(body);
    assert.deepEqual(errors.map((e) => e.loc), [loc], `${service} ${JSON.stringify(input)}: ${JSON.stringify(body)}`);
  }
  const noService = await expectError(client.integrations.getOauthUrl({}), 422);
  assert.deepEqual(validationErrors(noService).map((e) => e.loc), [['body', 'service']]);
  const unknown = await expectError(client.integrations.getOauthUrl({ service: 'GITHUB' }), 422);
  assert.deepEqual(validationErrors(unknown).map((e) => e.loc), [['body', 'service']]);
});

test('getOauthUrl uses the organization\'s white-label app for a service, and the server\'s again once it is deleted', async () => {
  const admin = integrations();
  const existing = (await admin.whiteLabel.list({ pagination: { limit: 100 } })).data.results;
  if (existing.length > 0) await admin.whiteLabel.delete({ ids: existing.map((w) => w.id) });

  const { client } = await newCustomer('oauth-white-label');
  const own = { client_id: `acme-box-${randomBytes(4).toString('hex')}`, redirect_uri: 'https://connect.acme.example/integrations/box',
    client_secret: `acme-box-secret-${randomBytes(8).toString('hex')}` };
  const created = await admin.whiteLabel.create([{ data_source_type: 'BOX', credentials: own }]);
  try {
    const { params } = parseUrl((await client.integrations.getOauthUrl({ service: 'BOX' })).data.oauth_url);
    assert.equal(params.client_id, own.client_id);
    assert.equal(params.redirect_uri, own.redirect_uri);
    assert.ok(!JSON.stringify(params).includes(own.client_secret));
    // Other services keep the server's apps.
    const dropbox = parseUrl((await client.integrations.getOauthUrl({ service: 'DROPBOX' })).data.oauth_url);
    assert.equal(dropbox.params.client_id, CLIENT_IDS.DROPBOX);
  } finally {
    await admin.whiteLabel.delete({ ids: created.data.map((w) => w.id) });
  }
  const { params } = parseUrl((await client.integrations.getOauthUrl({ service: 'BOX' })).data.oauth_url);
  assert.equal(params.client_id, CLIENT_IDS.BOX);
  assert.equal(params.redirect_uri, callbackUrl('box'));
});

test('ZOTERO (OAuth 1.0a): getOauthUrl gets a request token; approving it connects the Zotero user, twice is one data source', async () => {
  const { client, customerId, userId } = await newCustomer('zotero');
  const connect = async (options) => {
    const { data } = await client.integrations.getOauthUrl({ service: 'ZOTERO', data_source_tags: { library: 'papers' }, ...options });
    const { origin, path, params } = parseUrl(data.oauth_url);
    // The authorize URL is the one Zotero documents, here served by the fake (https://www.zotero.org/oauth/authorize).
    assert.equal(origin, new URL(FAKES.zotero.url).origin);
    assert.equal(path, '/oauth/authorize');
    assert.match(params.oauth_token ?? '', /^\S{8,}$/);
    // The user approves at Zotero, which sends the browser back to Catchment's callback.
    const approved = await browse(data.oauth_url);
    assert.equal(approved.status, 302, approved.body);
    const back = parseUrl(approved.location);
    assert.equal(`${back.origin}${back.path}`, callbackUrl('zotero'));
    assert.equal(back.params.oauth_token, params.oauth_token);
    assert.ok(back.params.oauth_verifier);
    const page = await browse(approved.location);
    assert.equal(page.status, 200, page.body);
    assert.match(page.body, /connected/i);
    // The callback works once.
    const replay = await browse(approved.location);
    assert.equal(replay.status, 400, replay.body);
  };

  await connect();
  const first = await userDataSources(client);
  assert.equal(first.count, 1);
  const ds = assertDataSource(first.results[0], {
    data_source_type: 'ZOTERO', data_source_external_id: FAKES.zotero.userId, organization_supplied_user_id: customerId,
    organization_user_id: userId, revoked_access: false, last_sync_action: 'ADD',
  });
  assert.equal(ds.tags.library, 'papers');

  // Without connecting_new_account the server would answer a sync URL for the connected account.
  await connect({ connecting_new_account: true });
  const second = await userDataSources(client);
  assert.equal(second.count, 1, 'the same Zotero user again is the same data source');
  assertDataSource(second.results[0], { id: ds.id, last_sync_action: 'UPDATE', data_source_external_id: FAKES.zotero.userId });
});

test('getOauthUrl errors are Carbon\'s shape: an unusable embedding model is a 400 with a detail', async () => {
  const { client } = await newCustomer('oauth-400');
  const body = await expectError(client.integrations.getOauthUrl({ service: 'BOX', embedding_model: 'OPENAI' }), 400);
  assert.match(detailMessage(body), /OPENAI/);
});
