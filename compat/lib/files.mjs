// Helpers for tests that need files: listing them by id, waiting until they are READY, and
// fetching the presigned links the SDK hands back. Shared by test/files.test.mjs and
// test/search.test.mjs.
//
// Kept outside test/ on purpose: `node --test` runs every .mjs file under a test/ folder.
import assert from 'node:assert/strict';

const READY_TIMEOUT_MS = 60_000; // per file
// /user_files_v2 is tier 3 (180 calls a minute per API key, shared by the whole compat run),
// so do not poll hard.
const DEFAULT_POLL_MS = 400;

export const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The files with these ids, as /user_files_v2 reports them, in the order of `ids`. */
export async function filesById(client, ids, extra = {}) {
  const response = await client.files.queryUserFiles({
    filters: { ids }, pagination: { limit: ids.length, offset: 0 }, ...extra,
  });
  assert.equal(response.status, 200);
  const byId = new Map(response.data.results.map((f) => [f.id, f]));
  return ids.map((id) => {
    assert.ok(byId.has(id), `file ${id} is not listed: ${JSON.stringify(response.data)}`);
    return byId.get(id);
  });
}

/**
 * Polls queryUserFiles until every file is READY (one call per round for all of them) and returns
 * them in the order of `ids`. A file in SYNC_ERROR fails at once with its sync_error_message.
 */
export async function waitForReady(client, ids, extra = {}, { pollMs = DEFAULT_POLL_MS } = {}) {
  const deadline = Date.now() + READY_TIMEOUT_MS * ids.length;
  for (;;) {
    const files = await filesById(client, ids, extra);
    for (const f of files) {
      assert.notEqual(f.sync_status, 'SYNC_ERROR', `file ${f.id} (${f.name}) failed: ${f.sync_error_message}`);
    }
    if (files.every((f) => f.sync_status === 'READY')) return files;
    if (Date.now() > deadline) {
      assert.fail(`files not READY within ${READY_TIMEOUT_MS * ids.length} ms: `
        + JSON.stringify(files.map((f) => ({ id: f.id, name: f.name, sync_status: f.sync_status }))));
    }
    await pause(pollMs);
  }
}

/** Fetches a presigned URL the way an application would: plain fetch, no Carbon credentials. */
export async function download(url) {
  assert.equal(typeof url, 'string', `not a URL: ${url}`);
  const response = await fetch(url);
  assert.equal(response.status, 200, `GET ${url} gave ${response.status}: ${await response.clone().text()}`);
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}
