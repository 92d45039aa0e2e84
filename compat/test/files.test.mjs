// Files through the SDK's FilesApi: uploads (multipart, raw text, from a URL), listing with
// filters, ordering and paging, tags, resync, deletes, and the presigned raw/parsed links.
//
// Only two things here are not SDK calls: fetching the presigned URLs the SDK hands back (as an
// application would, with plain fetch), and the local HTTP server that uploadFromUrl downloads from.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { File } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import {
  createCustomer, detailMessage, expectError, timestamp, validationErrors, withAccessToken, withApiKey,
} from '../lib/harness.mjs';
import { download, filesById, waitForReady } from '../lib/files.mjs';

/** Makes every file name of this run unique, so a re-run against the same server sees only its own files. */
const RUN = randomBytes(4).toString('hex');

/** A fresh customer and an API-key client acting for it: each test sees only its own files. */
async function customerClient(label) {
  const { customerId, user } = await createCustomer(`files-${label}`);
  return { client: withApiKey(customerId), customerId, user };
}

/** The signature query parameter of a presigned URL with its last character changed. */
function tampered(url) {
  const u = new URL(url);
  const signature = u.searchParams.get('signature');
  assert.ok(signature, `no signature parameter in ${url}`);
  const last = signature.at(-1);
  u.searchParams.set('signature', signature.slice(0, -1) + (last === '0' ? '1' : '0'));
  return u.toString();
}

/** Asserts the fields the SDK's UserFile declares as required, with their types, and returns the file. */
function assertUserFileShape(f, customerId) {
  assert.ok(Number.isInteger(f.id), 'id');
  assert.equal(typeof f.source, 'string');
  assert.ok(Number.isInteger(f.organization_id), 'organization_id');
  assert.ok(Number.isInteger(f.organization_user_id), 'organization_user_id');
  assert.equal(f.organization_supplied_user_id, customerId);
  assert.equal(typeof f.external_file_id, 'string');
  assert.ok(f.external_file_id.length > 0, 'external_file_id is empty');
  assert.equal(typeof f.sync_status, 'string');
  assert.equal(typeof f.skip_embedding_generation, 'boolean');
  assert.equal(typeof f.supports_cold_storage, 'boolean');
  assert.equal(typeof f.embedding_storage_status, 'string');
  assert.ok(f.tags !== null && typeof f.tags === 'object' && !Array.isArray(f.tags), `tags: ${JSON.stringify(f.tags)}`);
  assert.ok(f.file_statistics !== null && typeof f.file_statistics === 'object', 'file_statistics');
  const created = timestamp(f.created_at, 'created_at');
  assert.ok(timestamp(f.updated_at, 'updated_at') >= created, 'updated_at before created_at');
  return f;
}

/** A one-page PDF whose only text is `text` (plain ASCII), with a correct cross-reference table. */
function pdfWithText(text) {
  const content = `BT /F1 18 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets = objects.map((body, i) => {
    const offset = pdf.length;
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return offset;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

// ---------------------------------------------------------------------------------------------
// The local file server uploadFromUrl downloads from (node:http on 127.0.0.1, a free port).
// CompatSdkTest starts Catchment with 127.0.0.1 and localhost allowlisted for URL fetches;
// without that, Catchment refuses loopback addresses like any other private one.

const served = {
  [`/docs/${RUN}-notes.md`]: { type: 'text/markdown', body: '# Field notes\n\nThe heron waited by the weir at dawn.\n' },
  [`/data/${RUN}-rivers.csv`]: { type: 'text/csv', body: 'city,river\nParis,Seine\nLondon,Thames\nVienna,Danube\n' },
  '/export': { type: 'text/plain; charset=utf-8', body: 'Exported plain text about lighthouses and tides.\n' },
};
const requests = [];
let server;
let origin;

before(async () => {
  server = http.createServer((req, res) => {
    // Catchment's fetcher pins the checked address and sends the request in absolute form
    // (GET http://127.0.0.1:port/path), which RFC 9112 requires origin servers to accept.
    const path = new URL(req.url, 'http://placeholder').pathname;
    requests.push({ method: req.method, path });
    const entry = served[path];
    if (entry === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
      return;
    }
    res.writeHead(200, { 'content-type': entry.type }).end(entry.body);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  origin = `http://127.0.0.1:${server.address().port}`;
});

after(async () => {
  if (server) await new Promise((resolve) => server.close(resolve));
});

// ---------------------------------------------------------------------------------------------

test('files.upload sends a File as multipart; the file becomes READY and its raw and parsed links serve it', async () => {
  const { client, customerId } = await customerClient('upload');
  const name = `${RUN}-upload.txt`;
  const text = 'The quick brown fox jumps over the lazy dog near the riverbank.\nSecond line with otters.\n';
  // In Node the SDK takes a File (or a Uint8Array, see below): it reads the File's bytes and sends
  // them in the multipart field "file" with the File's name as the filename.
  const file = new File([text], name, { type: 'text/plain' });

  const uploaded = await client.files.upload({ file, chunkSize: 120, chunkOverlap: 12 });
  assert.equal(uploaded.status, 200);
  const u = assertUserFileShape(uploaded.data, customerId);
  assert.equal(u.name, name);
  assert.equal(u.source, 'TEXT');
  assert.equal(u.sync_status, 'QUEUED_FOR_SYNC');
  assert.equal(u.chunk_size, 120);
  assert.equal(u.chunk_overlap, 12);
  assert.equal(u.skip_embedding_generation, false);
  assert.equal(u.file_statistics.file_format, 'TXT');
  assert.equal(u.file_statistics.file_size, Buffer.byteLength(text));
  // With no embedding_model, the server's local default is used.
  assert.deepEqual(Object.keys(u.embedding_properties), ['ALL_MINILM_L6_V2']);
  assert.equal(u.embedding_properties.ALL_MINILM_L6_V2.chunk_size, 120);
  assert.equal(typeof u.presigned_url, 'string', 'an upload response carries the raw file link');

  const [ready] = await waitForReady(client, [u.id]);
  assertUserFileShape(ready, customerId);
  assert.equal(ready.name, name);
  assert.equal(ready.external_file_id, u.external_file_id);
  assert.equal(ready.file_statistics.file_format, 'TXT');
  assert.equal(ready.file_statistics.mime_type, 'text/plain');
  assert.ok(ready.file_statistics.num_characters > 0, JSON.stringify(ready.file_statistics));
  assert.ok(ready.file_statistics.num_tokens > 0, JSON.stringify(ready.file_statistics));
  assert.ok(ready.file_statistics.num_embeddings > 0, JSON.stringify(ready.file_statistics));
  timestamp(ready.last_sync, 'last_sync');
  // Links only when asked for.
  assert.equal(ready.presigned_url ?? null, null);
  assert.equal(ready.parsed_text_url ?? null, null);

  // getRawFile / getParsedFile give {presigned_url}; the links are served by Catchment itself.
  const raw = await client.files.getRawFile({ fileId: u.id });
  assert.equal(raw.status, 200);
  const rawDownload = await download(raw.data.presigned_url);
  assert.deepEqual(rawDownload.bytes, Buffer.from(text));
  assert.match(rawDownload.response.headers.get('content-type'), /^text\/plain/);

  const parsed = await client.files.getParsedFile({ fileId: u.id });
  assert.equal(parsed.status, 200);
  const parsedText = (await download(parsed.data.presigned_url)).bytes.toString('utf8');
  for (const word of ['quick brown fox', 'riverbank', 'otters']) assert.ok(parsedText.includes(word), parsedText);

  // The same links through queryUserFiles' include_raw_file / include_parsed_text_file.
  const [withLinks] = await filesById(client, [u.id], { include_raw_file: true, include_parsed_text_file: true });
  assert.deepEqual((await download(withLinks.presigned_url)).bytes, Buffer.from(text));
  assert.ok((await download(withLinks.parsed_text_url)).bytes.toString('utf8').includes('otters'));

  // A link whose signature was tampered with is refused.
  for (const url of [raw.data.presigned_url, parsed.data.presigned_url]) {
    const forged = await fetch(tampered(url));
    assert.equal(forged.status, 403, `tampered ${url} gave ${forged.status}`);
    await forged.arrayBuffer();
  }

  // Another customer of the same organization does not see the file.
  const stranger = await customerClient('upload-stranger');
  detailMessage(await expectError(stranger.client.files.getRawFile({ fileId: u.id }), 404));
  detailMessage(await expectError(stranger.client.files.getParsedFile({ fileId: u.id }), 404));
  const { data: strangers } = await stranger.client.files.queryUserFiles({ filters: { ids: [u.id] } });
  assert.equal(strangers.count, 0);
  assert.deepEqual(strangers.results, []);
});

test('files.upload with a Markdown File, skipEmbeddingGeneration, through a customer access token', async () => {
  const { customerId } = await createCustomer('files-upload-token');
  const { data: { access_token: accessToken } } = await withApiKey(customerId).auth.getAccessToken();
  const client = withAccessToken(accessToken);
  const name = `${RUN}-notes.md`;
  const markdown = '# Glossary\n\n- **weir**: a low dam across a river\n- **eddy**: a circular current\n';

  const { data: u } = await client.files.upload({
    file: new File([markdown], name, { type: 'text/markdown' }), skipEmbeddingGeneration: true,
  });
  assertUserFileShape(u, customerId);
  assert.equal(u.name, name);
  assert.equal(u.source, 'MD');
  assert.equal(u.file_statistics.file_format, 'MD');
  assert.equal(u.skip_embedding_generation, true);

  const [ready] = await waitForReady(client, [u.id]);
  assert.equal(ready.skip_embedding_generation, true);
  assert.ok(ready.file_statistics.num_characters > 0, JSON.stringify(ready.file_statistics));
  assert.ok(!ready.file_statistics.num_embeddings, `embeddings despite skip: ${JSON.stringify(ready.file_statistics)}`);
  const parsed = (await download((await client.files.getParsedFile({ fileId: u.id })).data.presigned_url)).bytes;
  assert.ok(parsed.toString('utf8').includes('circular current'), parsed.toString('utf8'));
});

test('files.upload with a Buffer: the SDK names the part after the sniffed type ("file.pdf")', async () => {
  const { client, customerId } = await customerClient('upload-buffer');
  // For a Uint8Array the SDK guesses the type from the bytes (file-type) and sends the filename
  // "file.<ext>", or just "file" when it cannot tell, as for plain text.
  const { data: u } = await client.files.upload({ file: pdfWithText('Buffered kingfisher marmalade') });
  assertUserFileShape(u, customerId);
  assert.equal(u.name, 'file.pdf');
  assert.equal(u.source, 'PDF');
  assert.equal(u.file_statistics.file_format, 'PDF');

  const [ready] = await waitForReady(client, [u.id]);
  assert.equal(ready.file_statistics.mime_type, 'application/pdf');
  assert.ok(ready.file_statistics.num_characters > 0, JSON.stringify(ready.file_statistics));
  const parsed = (await download((await client.files.getParsedFile({ fileId: u.id })).data.presigned_url)).bytes;
  assert.ok(parsed.toString('utf8').includes('Buffered kingfisher marmalade'), parsed.toString('utf8'));

  // Plain text in a Buffer reaches the server as "file", without an extension (Carbon's own README
  // example, fs.readFileSync): the server recognises the bytes as text.
  const { data: plain } = await client.files.upload({ file: Buffer.from('just some words about herons') });
  assert.equal(plain.name, 'file');
  assert.equal(plain.file_statistics.file_format, 'TXT');
  const [plainReady] = await waitForReady(client, [plain.id]);
  assert.equal(plainReady.sync_status, 'READY');
});

test('files.upload rejects what it cannot take: an unknown extension, an unconfigured model', async () => {
  const { client } = await customerClient('upload-errors');
  const exe = detailMessage(await expectError(
    client.files.upload({ file: new File(['MZ'], `${RUN}-tool.exe`) }), 400));
  assert.ok(exe.includes(`${RUN}-tool.exe`), exe);

  const openai = detailMessage(await expectError(
    client.files.upload({ file: new File(['some words'], `${RUN}-model.txt`), embeddingModel: 'OPENAI' }), 400));
  assert.ok(openai.includes('OPENAI'), openai);

  // Nothing was stored by the refused uploads.
  const { data } = await client.files.queryUserFiles({});
  assert.equal(data.count, 0);
});

test('files.upload of a nameless Blob: 422 (file missing) and the keep-alive connection survives', async () => {
  const { client } = await customerClient('upload-blob');
  // The SDK only sends Uint8Arrays and objects with a "name" (File): a bare Blob is left out,
  // so the request is multipart/form-data (with a boundary) and an empty body (Content-Length: 0).
  // Carbon (FastAPI) answers that with 422, body.file missing. Both calls share one keep-alive
  // connection (the SDK passes per-call axios options through), so a server that drops the
  // connection after the bad request makes the second call fail with "socket hang up".
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const settle = (promise) => promise.then((value) => ({ value }), (error) => ({ error }));
    const blob = await settle(client.files.upload({ file: new Blob(['some words']) }, { httpAgent: agent }));
    const next = await settle(client.files.queryUserFiles({}, { httpAgent: agent }));

    // Both outcomes are checked before failing, so a failure reports everything that went wrong.
    const problems = [];
    const status = blob.error ? blob.error.status : blob.value.status;
    const body = blob.error ? blob.error.responseBody : blob.value.data;
    if (status !== 422 || !Array.isArray(body?.detail) || !body.detail.some((e) => e.loc?.at(-1) === 'file')) {
      problems.push(`upload: expected 422 with a detail entry whose loc ends in "file", got ${status} ${JSON.stringify(body)}`);
    } else {
      validationErrors(body);
    }
    if (next.error) {
      problems.push(`the next request on the same keep-alive connection failed: ${next.error.message.split('\n')[0]}`);
    } else if (next.value.data.count !== 0) {
      problems.push(`the customer has files: ${JSON.stringify(next.value.data)}`);
    }
    assert.deepEqual(problems, []);
  } finally {
    agent.destroy();
  }
});

test('files.uploadText creates a RAW_TEXT file; overwrite_file_id replaces its content', async () => {
  const { client, customerId } = await customerClient('text');
  const name = `${RUN}-raw text note`;
  const contents = 'Salmon leap upstream in autumn; the ladder beside the dam helps them.';

  const created = await client.files.uploadText({ contents, name, chunk_size: 60, chunk_overlap: 6 });
  assert.equal(created.status, 200);
  const u = assertUserFileShape(created.data, customerId);
  assert.equal(u.name, name);
  assert.equal(u.source, 'RAW_TEXT');
  assert.equal(u.sync_status, 'QUEUED_FOR_SYNC');
  assert.equal(u.chunk_size, 60);
  assert.equal(u.chunk_overlap, 6);
  assert.equal(u.file_statistics.file_format, 'TXT');
  assert.equal(u.file_statistics.file_size, Buffer.byteLength(contents));

  const [ready] = await waitForReady(client, [u.id]);
  assert.equal(ready.file_statistics.num_characters, contents.length);
  assert.ok(ready.file_statistics.num_embeddings > 0, JSON.stringify(ready.file_statistics));
  let parsed = (await download((await client.files.getParsedFile({ fileId: u.id })).data.presigned_url)).bytes;
  assert.equal(parsed.toString('utf8').trim(), contents);
  const raw = (await download((await client.files.getRawFile({ fileId: u.id })).data.presigned_url)).bytes;
  assert.equal(raw.toString('utf8'), contents);

  const replacement = 'Eels migrate to the Sargasso Sea to spawn.';
  const overwritten = await client.files.uploadText({ contents: replacement, overwrite_file_id: u.id });
  assert.equal(overwritten.data.id, u.id);
  assert.equal(overwritten.data.name, name);
  await waitForReady(client, [u.id]);
  parsed = (await download((await client.files.getParsedFile({ fileId: u.id })).data.presigned_url)).bytes;
  assert.ok(parsed.toString('utf8').includes('Sargasso'), parsed.toString('utf8'));
  assert.ok(!parsed.toString('utf8').includes('Salmon'), parsed.toString('utf8'));
  const { data: all } = await client.files.queryUserFiles({});
  assert.equal(all.count, 1, 'overwriting must not create another file');

  detailMessage(await expectError(client.files.uploadText({ contents: '   ', name: `${RUN}-blank` }), 400));
  validationErrors(await expectError(client.files.uploadText({ name: `${RUN}-no-contents` }), 422));
});

test('files.uploadFromUrl downloads from a local HTTP server; name from the URL or file_name', async () => {
  const { client, customerId } = await customerClient('url');
  const mdUrl = `${origin}/docs/${RUN}-notes.md`;
  const csvUrl = `${origin}/data/${RUN}-rivers.csv`;
  const exportUrl = `${origin}/export`;

  const md = assertUserFileShape((await client.files.uploadFromUrl({ url: mdUrl })).data, customerId);
  assert.equal(md.name, `${RUN}-notes.md`);
  assert.equal(md.external_url, mdUrl);
  assert.equal(md.source, 'MD');
  assert.equal(md.file_statistics.file_format, 'MD');
  assert.equal(md.file_statistics.file_size, Buffer.byteLength(served[`/docs/${RUN}-notes.md`].body));

  const csv = (await client.files.uploadFromUrl({ url: csvUrl, chunk_size: 80, chunk_overlap: 8 })).data;
  assert.equal(csv.name, `${RUN}-rivers.csv`);
  assert.equal(csv.source, 'CSV');
  assert.equal(csv.file_statistics.file_format, 'CSV');
  assert.equal(csv.chunk_size, 80);

  // No extension in the URL: file_name names the file (and its extension gives the format).
  const named = (await client.files.uploadFromUrl({ url: exportUrl, file_name: `${RUN}-lighthouses.txt` })).data;
  assert.equal(named.name, `${RUN}-lighthouses.txt`);
  assert.equal(named.external_url, exportUrl);
  assert.equal(named.file_statistics.file_format, 'TXT');

  // The server really fetched them from here.
  for (const path of [`/docs/${RUN}-notes.md`, `/data/${RUN}-rivers.csv`, '/export']) {
    assert.ok(requests.some((r) => r.method === 'GET' && r.path === path), `no GET ${path}: ${JSON.stringify(requests)}`);
  }

  const ready = await waitForReady(client, [md.id, csv.id, named.id]);
  for (const f of ready) assert.ok(f.file_statistics.num_characters > 0, `${f.name}: ${JSON.stringify(f.file_statistics)}`);
  const texts = [];
  for (const f of ready) {
    texts.push((await download((await client.files.getParsedFile({ fileId: f.id })).data.presigned_url)).bytes.toString('utf8'));
  }
  assert.ok(texts[0].includes('heron waited by the weir'), texts[0]);
  assert.ok(texts[1].includes('Thames') && texts[1].includes('Danube'), texts[1]);
  assert.ok(texts[2].includes('lighthouses and tides'), texts[2]);
  // The raw link gives back exactly the downloaded bytes.
  const raw = (await download((await client.files.getRawFile({ fileId: csv.id })).data.presigned_url)).bytes;
  assert.equal(raw.toString('utf8'), served[`/data/${RUN}-rivers.csv`].body);

  // A URL that answers 404 is a 400 naming the URL; nothing is stored.
  const missingUrl = `${origin}/nothing-${RUN}.txt`;
  const missing = detailMessage(await expectError(client.files.uploadFromUrl({ url: missingUrl }), 400));
  assert.ok(missing.includes(missingUrl), missing);
  const { data: all } = await client.files.queryUserFiles({});
  assert.equal(all.count, 3);
});

test('files.uploadFromUrl refuses link-local and private addresses (SSRF) with 400 naming the address', async () => {
  const { client } = await customerClient('ssrf');
  const before = requests.length;
  for (const [url, address] of [
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
    ['http://10.0.0.1/', '10.0.0.1'],
  ]) {
    const message = detailMessage(await expectError(client.files.uploadFromUrl({ url, file_name: `${RUN}-ssrf.txt` }), 400));
    assert.ok(message.includes(address), `detail does not name ${address}: ${message}`);
  }
  assert.equal(requests.length, before);
  const { data } = await client.files.queryUserFiles({});
  assert.equal(data.count, 0, `refused fetches created files: ${JSON.stringify(data.results)}`);
});

test('files.queryUserFiles: filters (ids, name, sync_statuses, source, tags_v2, tags), order_by name, pagination, count', async () => {
  const { client } = await customerClient('query');
  const names = {
    b: `${RUN}-b-beta`, a: `${RUN}-a-alpha`, c: `${RUN}-c-gamma`, d: `${RUN}-d-delta.md`,
  };
  // Created b, a, c, d: neither creation order nor id order is name order.
  const files = {};
  for (const key of ['b', 'a', 'c']) {
    files[key] = (await client.files.uploadText({ contents: `File ${key} talks about ${names[key]}.`, name: names[key] })).data;
  }
  files.d = (await client.files.upload({ file: new File(['# Delta\n\nA river mouth.\n'], names.d) })).data;
  const allIds = Object.values(files).map((f) => f.id);
  await waitForReady(client, allIds);

  const namesOf = (response) => response.data.results.map((f) => f.name);

  // ids
  let r = await client.files.queryUserFiles({ filters: { ids: [files.a.id, files.c.id] }, order_by: 'name', order_dir: 'asc' });
  assert.deepEqual(namesOf(r), [names.a, names.c]);
  assert.equal(r.data.count, 2);

  // name: files whose name contains the string
  r = await client.files.queryUserFiles({ filters: { name: 'c-gam' } });
  assert.deepEqual(namesOf(r), [names.c]);
  r = await client.files.queryUserFiles({ filters: { name: RUN }, order_by: 'name', order_dir: 'asc' });
  assert.equal(r.data.count, 4);

  // sync_statuses
  r = await client.files.queryUserFiles({ filters: { sync_statuses: ['READY'] } });
  assert.equal(r.data.count, 4);
  r = await client.files.queryUserFiles({ filters: { sync_statuses: ['SYNC_ERROR', 'QUEUED_FOR_SYNC'] } });
  assert.equal(r.data.count, 0);
  assert.deepEqual(r.data.results, []);

  // source
  r = await client.files.queryUserFiles({ filters: { source: 'RAW_TEXT' }, order_by: 'name', order_dir: 'asc' });
  assert.deepEqual(namesOf(r), [names.a, names.b, names.c]);
  r = await client.files.queryUserFiles({ filters: { source: ['MD'] } });
  assert.deepEqual(namesOf(r), [names.d]);

  // order_by name, both directions
  r = await client.files.queryUserFiles({ order_by: 'name', order_dir: 'asc' });
  assert.deepEqual(namesOf(r), [names.a, names.b, names.c, names.d]);
  r = await client.files.queryUserFiles({ order_by: 'name', order_dir: 'desc' });
  assert.deepEqual(namesOf(r), [names.d, names.c, names.b, names.a]);
  // order_by id follows creation: b, a, c, d
  r = await client.files.queryUserFiles({ order_by: 'id', order_dir: 'asc' });
  assert.deepEqual(namesOf(r), [names.b, names.a, names.c, names.d]);

  // pagination: limit and offset; count is the total, not the page size
  r = await client.files.queryUserFiles({ order_by: 'name', order_dir: 'asc', pagination: { limit: 3, offset: 0 } });
  assert.deepEqual(namesOf(r), [names.a, names.b, names.c]);
  assert.equal(r.data.count, 4);
  r = await client.files.queryUserFiles({ order_by: 'name', order_dir: 'asc', pagination: { limit: 3, offset: 3 } });
  assert.deepEqual(namesOf(r), [names.d]);
  assert.equal(r.data.count, 4);
  r = await client.files.queryUserFiles({ order_by: 'name', order_dir: 'desc', pagination: { limit: 2, offset: 1 } });
  assert.deepEqual(namesOf(r), [names.c, names.b]);

  // tags_v2: AND / OR / list values / negate; and the deprecated flat tags
  await client.files.createUserFileTags({ organization_user_file_id: files.a.id, tags: { team: 'red', topics: ['x', 'y'] } });
  await client.files.createUserFileTags({ organization_user_file_id: files.b.id, tags: { team: 'blue', topics: ['y'] } });
  const byTags = async (filters) => (await client.files.queryUserFiles({ filters, order_by: 'name', order_dir: 'asc' })).data.results
    .map((f) => f.name);
  assert.deepEqual(await byTags({ tags_v2: { AND: [{ key: 'team', value: 'red' }] } }), [names.a]);
  assert.deepEqual(await byTags({ tags_v2: { OR: [{ key: 'team', value: 'red' }, { key: 'team', value: 'blue' }] } }),
    [names.a, names.b]);
  assert.deepEqual(await byTags({ tags_v2: { AND: [{ key: 'topics', value: 'y' }] } }), [names.a, names.b]);
  assert.deepEqual(await byTags({ tags_v2: { AND: [{ key: 'topics', value: 'y' }, { key: 'team', value: 'red', negate: true }] } }),
    [names.b]);
  assert.deepEqual(await byTags({ tags_v2: { OR: [{ key: 'team', value: 'green' }] } }), []);
  assert.deepEqual(await byTags({ tags: { team: 'blue' } }), [names.b]);
  const badTags = validationErrors(await expectError(
    client.files.queryUserFiles({ filters: { tags_v2: { XOR: [] } } }), 422));
  assert.ok(badTags.some((e) => e.loc.includes('tags_v2')), JSON.stringify(badTags));

  // The deprecated POST /user_files: the same query, a bare array.
  const deprecated = await client.files.queryUserFilesDeprecated({ order_by: 'name', order_dir: 'desc', pagination: { limit: 2 } });
  assert.ok(Array.isArray(deprecated.data), JSON.stringify(deprecated.data));
  assert.deepEqual(deprecated.data.map((f) => f.name), [names.d, names.c]);
});

test('files.createUserFileTags upserts, files.deleteFileTags removes keys; reserved keys are refused', async () => {
  const { client } = await customerClient('tags');
  const { data: u } = await client.files.uploadText({ contents: 'Tagged text about kelp forests.', name: `${RUN}-tags` });

  let r = await client.files.createUserFileTags({
    organization_user_file_id: u.id, tags: { color: 'red', topics: ['kelp', 'otters'] },
  });
  assert.equal(r.status, 200);
  assert.equal(r.data.id, u.id);
  assert.deepEqual(r.data.tags, { color: 'red', topics: ['kelp', 'otters'] });

  // Upsert: existing keys are replaced, new keys added, others kept; non-strings become strings.
  r = await client.files.createUserFileTags({ organization_user_file_id: u.id, tags: { color: 'blue', size: 4 } });
  assert.deepEqual(r.data.tags, { color: 'blue', topics: ['kelp', 'otters'], size: '4' });

  const reserved = detailMessage(await expectError(
    client.files.createUserFileTags({ organization_user_file_id: u.id, tags: { organization_id: 'x' } }), 400));
  assert.ok(reserved.includes('organization_id'), reserved);

  r = await client.files.deleteFileTags({ organization_user_file_id: u.id, tags: ['color', 'not-there'] });
  assert.equal(r.status, 200);
  assert.deepEqual(r.data.tags, { topics: ['kelp', 'otters'], size: '4' });

  // What the listing says agrees.
  const [listed] = await filesById(client, [u.id]);
  assert.deepEqual(listed.tags, { topics: ['kelp', 'otters'], size: '4' });

  // Someone else's (or no) file: 404.
  detailMessage(await expectError(
    client.files.createUserFileTags({ organization_user_file_id: 987654321, tags: { a: 'b' } }), 404));
  const stranger = await customerClient('tags-stranger');
  detailMessage(await expectError(
    stranger.client.files.deleteFileTags({ organization_user_file_id: u.id, tags: ['size'] }), 404));
});

test('files.resync processes a file again with a new chunk size', async () => {
  const { client, customerId } = await customerClient('resync');
  const contents = Array.from({ length: 40 }, (_, i) => `Sentence ${i} about estuaries, tides and migrating birds.`).join(' ');
  const { data: u } = await client.files.uploadText({ contents, name: `${RUN}-resync`, chunk_size: 200, chunk_overlap: 20 });
  const [first] = await waitForReady(client, [u.id]);
  assert.equal(first.chunk_size, 200);
  const embeddingsBefore = first.file_statistics.num_embeddings;
  assert.ok(embeddingsBefore > 0, JSON.stringify(first.file_statistics));

  const resynced = await client.files.resync({ file_id: u.id, chunk_size: 40, chunk_overlap: 4 });
  assert.equal(resynced.status, 200);
  assertUserFileShape(resynced.data, customerId);
  assert.equal(resynced.data.id, u.id);
  assert.equal(resynced.data.chunk_size, 40);
  assert.equal(resynced.data.chunk_overlap, 4);
  assert.notEqual(resynced.data.sync_status, 'SYNC_ERROR');

  const [after] = await waitForReady(client, [u.id]);
  assert.equal(after.chunk_size, 40);
  assert.equal(after.chunk_overlap, 4);
  assert.equal(after.embedding_properties.ALL_MINILM_L6_V2.chunk_size, 40);
  assert.ok(after.file_statistics.num_embeddings > embeddingsBefore,
    `smaller chunks, yet ${after.file_statistics.num_embeddings} embeddings (was ${embeddingsBefore})`);
  assert.ok(timestamp(after.last_sync, 'last_sync') >= timestamp(first.last_sync, 'last_sync'));

  detailMessage(await expectError(client.files.resync({ file_id: 987654321 }), 404));
  validationErrors(await expectError(client.files.resync({}), 422));
});

test('files.deleteV2 (POST /delete_files_v2) and files.deleteMany (POST /delete_files) delete files', async () => {
  const { client } = await customerClient('delete');
  const ids = [];
  for (const n of [1, 2, 3, 4]) {
    ids.push((await client.files.uploadText({ contents: `Deletable text number ${n}.`, name: `${RUN}-del-${n}` })).data.id);
  }
  await waitForReady(client, ids);
  const count = async () => (await client.files.queryUserFiles({})).data.count;
  assert.equal(await count(), 4);

  // delete_files_v2 by filters
  let r = await client.files.deleteV2({ filters: { ids: [ids[0]] } });
  assert.equal(r.status, 200);
  assert.deepEqual(r.data, { success: true });
  assert.equal(await count(), 3);
  detailMessage(await expectError(client.files.getRawFile({ fileId: ids[0] }), 404));

  // preserve_file_record: the record stays, its contents go
  r = await client.files.deleteV2({ filters: { ids: [ids[1]] }, preserve_file_record: true });
  assert.deepEqual(r.data, { success: true });
  const [kept] = await filesById(client, [ids[1]]);
  assert.equal(kept.file_contents_deleted, true);
  assert.equal(await count(), 3);
  detailMessage(await expectError(client.files.getRawFile({ fileId: ids[1] }), 404));

  // the deprecated delete_files by file_ids
  r = await client.files.deleteMany({ file_ids: [ids[2]] });
  assert.equal(r.status, 200);
  assert.deepEqual(r.data, { success: true });
  assert.equal(await count(), 2);
  const { data: left } = await client.files.queryUserFiles({ order_by: 'name', order_dir: 'asc' });
  assert.deepEqual(left.results.map((f) => f.id), [ids[1], ids[3]]);

  // delete_files with neither file_ids nor sync_statuses is refused rather than deleting everything
  detailMessage(await expectError(client.files.deleteMany({ delete_non_synced_only: false }), 400));
  assert.equal(await count(), 2);

  // delete_files by sync_statuses
  r = await client.files.deleteMany({ sync_statuses: ['READY'] });
  assert.deepEqual(r.data, { success: true });
  const { data: rest } = await client.files.queryUserFiles({});
  assert.ok(!rest.results.some((f) => f.id === ids[3]), JSON.stringify(rest.results.map((f) => [f.id, f.sync_status])));

  // Deleting another customer's file deletes nothing.
  const other = await customerClient('delete-other');
  const { data: theirs } = await other.client.files.uploadText({ contents: 'Not yours.', name: `${RUN}-del-theirs` });
  await client.files.deleteMany({ file_ids: [theirs.id] });
  await client.files.deleteV2({ filters: { ids: [theirs.id] } });
  const [stillThere] = await filesById(other.client, [theirs.id]);
  assert.equal(stillThere.name, `${RUN}-del-theirs`);

  // Without filters, delete_files_v2 deletes all of the customer's files (and only theirs).
  await client.files.deleteV2({});
  assert.equal(await count(), 0);
  assert.equal((await other.client.files.queryUserFiles({})).data.count, 1);
});
