// Search and chunks through the SDK's EmbeddingsApi: embeddings.getDocuments (POST /embeddings:
// semantic, keyword and hybrid retrieval, filters, what a document carries, isolation between
// customers), embeddings.getEmbeddingsAndChunks (POST /text_chunks), embeddings.list
// (POST /list_chunks_and_embeddings) and embeddings.uploadChunksAndEmbeddings
// (POST /upload_chunks_and_embeddings, bring your own chunks and vectors).
//
// The only plain HTTP here is fetching a presigned raw-file link, as an application would.
//
// Calls are kept few: the uploads, tags and READY polling are tier 3 (180 a minute per API key,
// shared with the files test running at the same time), /embeddings and the chunk listings are
// in the untiered group (600 a minute).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { File } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import {
  detailMessage, expectError, uniqueCustomerId, validationErrors, withApiKey,
} from '../lib/harness.mjs';
import { download, waitForReady } from '../lib/files.mjs';

const RUN = randomBytes(4).toString('hex');
const MODEL = 'ALL_MINILM_L6_V2'; // the server's local default model
const DIMENSIONS = 384;
const POLL = { pollMs: 1000 };
const CHUNK_SIZE = 48; // tokens: each topic file below becomes a few chunks

// Five small text files on distinct topics, three paragraphs each.
const TOPICS = {
  garden: ['Gardening notes. Tomatoes need six to eight hours of direct sun and deep watering twice a week. '
    + 'Mulch the beds with straw to keep the soil moist and to suppress weeds.',
  'Prune roses in late winter just above an outward-facing bud. Compost kitchen scraps, coffee grounds and '
    + 'fallen leaves, and turn the pile every two weeks.',
  'Sow lettuce and radishes in early spring; they bolt when the summer heat arrives. Aphids on the kale can be '
    + 'washed off with a strong jet of water or left to ladybirds.'],
  router: ['Wireless router manual. To reset the router, hold the recessed button on the back for ten seconds '
    + 'until the power light blinks amber. The admin page is at 192.168.0.1.',
  'Troubleshooting: error code E-4412 means the WAN port has no link to the modem. Check the ethernet cable '
    + 'between the modem and the WAN port, then power-cycle both devices.',
  'To change the wireless password, open the admin page, choose Wireless Security, select WPA3 and enter a new '
    + 'passphrase of at least twelve characters. Firmware updates are installed from the Maintenance tab.'],
  bread: ['Bread baking. Mix 500 grams of bread flour with 350 grams of water, 10 grams of salt and a spoonful of '
    + 'sourdough starter. Knead until the dough is smooth and elastic.',
  'Let the dough rise at room temperature until it has doubled, about four hours, then shape a boule and proof '
    + 'it overnight in the fridge.',
  'Bake in a preheated Dutch oven at 250 degrees Celsius, twenty minutes with the lid on and twenty without, '
    + 'until the crust is deep brown and the loaf sounds hollow when tapped.'],
  astronomy: ['Astronomy for beginners. Jupiter is the largest planet in the solar system; through binoculars '
    + 'its four Galilean moons look like tiny stars in a line.',
  'The Andromeda galaxy is the most distant object visible to the naked eye, about two and a half million light '
    + 'years away. Look for it on dark autumn nights far from city lights.',
  'A lunar eclipse happens when the Earth passes between the Sun and the Moon, and the Moon turns a coppery red. '
    + 'The rings of Saturn show in a small telescope at forty times magnification.'],
  tax: ['Tax forms guide. Form W-2 reports the wages an employer paid you and the income tax withheld during the '
    + 'year. Freelancers receive Form 1099-NEC from each client that paid them at least six hundred dollars.',
  'File Form 1040 by the April deadline, and attach Schedule C to report business income and expenses from '
    + 'self-employment.',
  'Keep receipts for deductible expenses such as a home office, and request an extension with Form 4868 if you '
    + 'need more time to file.'],
};
const textOf = (topic) => TOPICS[topic].join('\n\n');

// Set up once (before the tests): the main customer's files, tagged; another customer's file.
const main = { client: null, files: {}, ready: {} }; // files: topic -> upload response; ready: topic -> READY file
const other = { client: null, file: null };
const GARDEN_OTHER = 'Allotment diary of someone else. Water the tomatoes every evening in July and pinch out '
  + 'the side shoots; the beans need canes and the courgettes need space.';
const byId = {}; // file id -> topic ('byo' for the file whose chunks the tests bring themselves)

before(async () => {
  main.client = withApiKey(uniqueCustomerId('search-main'));
  other.client = withApiKey(uniqueCustomerId('search-other'));
  for (const topic of Object.keys(TOPICS)) {
    const file = new File([textOf(topic)], `${RUN}-${topic}.txt`, { type: 'text/plain' });
    const { data } = await main.client.files.upload({ file, chunkSize: CHUNK_SIZE, chunkOverlap: 0 });
    main.files[topic] = data;
    byId[data.id] = topic;
  }
  // A file whose chunks the last test replaces with its own (it starts out without embeddings).
  const byo = new File(['Placeholder notes, to be replaced by chunks the application brings itself.'],
    `${RUN}-byo.txt`, { type: 'text/plain' });
  main.files.byo = (await main.client.files.upload({ file: byo, skipEmbeddingGeneration: true })).data;
  byId[main.files.byo.id] = 'byo';
  other.file = (await other.client.files.upload({
    file: new File([GARDEN_OTHER], `${RUN}-other-garden.txt`, { type: 'text/plain' }),
  })).data;

  const topics = Object.keys(main.files);
  const ready = await waitForReady(main.client, topics.map((t) => main.files[t].id), {}, POLL);
  topics.forEach((t, i) => { main.ready[t] = ready[i]; });
  await waitForReady(other.client, [other.file.id], {}, POLL);

  // Two tagged files.
  await main.client.files.createUserFileTags({
    organization_user_file_id: main.files.garden.id, tags: { category: 'home', season: ['spring', 'summer'] },
  });
  await main.client.files.createUserFileTags({
    organization_user_file_id: main.files.bread.id, tags: { category: 'home', season: 'winter' },
  });
});

/** getDocuments with the main customer's client; returns the documents after checking the envelope. */
async function search(body, client = main.client) {
  const response = await client.embeddings.getDocuments(body);
  assert.equal(response.status, 200);
  assert.ok(Array.isArray(response.data.documents), JSON.stringify(response.data));
  return response.data.documents;
}

const topicsOf = (documents) => documents.map((d) => byId[d.file_id] ?? `unknown file ${d.file_id}`);
const distinct = (values) => [...new Set(values)].sort();
const TOPIC_FILES = ['astronomy', 'bread', 'garden', 'router', 'tax'];

/** Asserts the fields of the SDK's DocumentResponse, with their types, for a document of the main customer. */
function assertDocumentShape(d) {
  assert.equal(typeof d.content, 'string');
  assert.ok(d.content.length > 0, 'content is empty');
  assert.ok(Number.isInteger(d.file_id), `file_id: ${d.file_id}`);
  assert.ok(d.file_id in byId, `file ${d.file_id} is not one of this customer's`);
  assert.ok('parent_file_id' in d, 'parent_file_id is missing');
  assert.equal(d.parent_file_id, null);
  assert.equal(d.source, main.files[byId[d.file_id]].name);
  assert.ok(d.source_url === null || d.source_url === undefined, `source_url: ${d.source_url}`);
  assert.equal(d.source_type, 'TEXT');
  assert.equal(typeof d.score, 'number');
  assert.ok(Number.isFinite(d.score), `score: ${d.score}`);
  assert.ok(Number.isInteger(d.rank), `rank: ${d.rank}`);
  assert.ok(Number.isInteger(d.chunk_index) && d.chunk_index >= 0, `chunk_index: ${d.chunk_index}`);
  assert.ok(d.content_metadata !== null && typeof d.content_metadata === 'object', 'content_metadata');
  // The SDK declares `vector` as required (Array<number> | null).
  assert.ok('vector' in d, 'vector is missing');
  // The chunk's text is part of its file's text.
  const topic = byId[d.file_id];
  if (topic in TOPICS) {
    const words = d.content.split(/\s+/).filter((w) => w.length > 3).slice(0, 3);
    for (const w of words) assert.ok(textOf(topic).includes(w), `"${w}" of chunk ${d.chunk_index} is not in ${topic}`);
  }
}

/** Documents come best first: ranks 1..n, scores never rising. */
function assertRanked(documents) {
  documents.forEach((d, i) => assert.equal(d.rank, i + 1, `rank of document ${i}`));
  for (let i = 1; i < documents.length; i++) {
    assert.ok(documents[i].score <= documents[i - 1].score,
      `scores rise at ${i}: ${documents.map((d) => d.score).join(', ')}`);
  }
}

function assertVector(v, what) {
  assert.ok(Array.isArray(v), `${what} is not an array: ${JSON.stringify(v)?.slice(0, 80)}`);
  assert.equal(v.length, DIMENSIONS, `${what} has ${v.length} dimensions`);
  for (const x of v) assert.ok(typeof x === 'number' && Number.isFinite(x), `${what} has ${x}`);
  assert.ok(v.some((x) => x !== 0), `${what} is all zeros`);
}

function assertSameVector(actual, expected, what) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  // Compare directions: a server may keep vectors at unit length.
  const dot = actual.reduce((s, x, i) => s + x * expected[i], 0);
  const norm = (v) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  const cosine = dot / (norm(actual) * norm(expected));
  assert.ok(cosine > 0.9999, `${what}: cosine ${cosine}`);
}

/** A deterministic pseudo-random vector of the model's dimension (not a text's embedding). */
function syntheticVector(seed) {
  let state = seed;
  return Array.from({ length: DIMENSIONS }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  });
}

// ---------------------------------------------------------------------------------------------
// embeddings.getDocuments (POST /embeddings)

test('getDocuments: a paraphrased question finds the right file first; documents carry the declared fields', async () => {
  const questions = {
    garden: 'How much sunlight and water do my vegetable plants need?',
    router: 'My internet box lost its connection to the modem and shows a fault number. What should I check?',
    bread: 'How long should sourdough ferment before it goes in the oven?',
    astronomy: 'Which is the biggest planet, and can I see its moons without a telescope?',
    tax: 'Which paperwork does a self-employed contractor get from the clients who paid them?',
  };
  for (const [topic, query] of Object.entries(questions)) {
    const documents = await search({ query, k: 3 });
    assert.equal(documents.length, 3, `${topic}: k=3 gave ${documents.length}`);
    assert.equal(topicsOf(documents)[0], topic,
      `"${query}" found ${JSON.stringify(documents.map((d) => [byId[d.file_id], d.score, d.content.slice(0, 40)]))}`);
    for (const d of documents) {
      assertDocumentShape(d);
      // Without include_vectors / include_tags / include_raw_file these are null.
      assert.equal(d.vector, null);
      assert.equal(d.tags ?? null, null);
      assert.equal(d.presigned_url ?? null, null);
    }
    assertRanked(documents);
  }

  // The best chunk is the one that answers: the router's troubleshooting paragraph, say.
  const [best] = await search({ query: questions.router, k: 1 });
  assert.equal(best.file_id, main.files.router.id);
  assert.ok(best.content.includes('WAN port'), best.content);

  // k is respected, from 1 up to every chunk there is.
  assert.equal((await search({ query: 'bread dough', k: 1 })).length, 1);
  assert.equal((await search({ query: 'bread dough', k: 5 })).length, 5);
  const everything = await search({ query: 'bread dough', k: 1000 });
  const chunkTotal = TOPIC_FILES.reduce((sum, t) => sum + main.ready[t].file_statistics.num_embeddings, 0);
  assert.equal(everything.length, chunkTotal, 'k above the number of chunks gives every embedded chunk once');
  assert.equal(new Set(everything.map((d) => `${d.file_id}:${d.chunk_index}`)).size, everything.length);
  assert.deepEqual(distinct(topicsOf(everything)), TOPIC_FILES);
  assertRanked(everything);

  // high_accuracy (exact search) agrees on what is best.
  const exact = await search({ query: questions.bread, k: 3, high_accuracy: true });
  assert.equal(topicsOf(exact)[0], 'bread');
});

test('getDocuments with include_vectors, include_tags, include_raw_file and include_file_level_metadata', async () => {
  const query = 'When should I prune the roses?';
  const documents = await search({
    query, k: 4, include_vectors: true, include_tags: true, include_raw_file: true, include_file_level_metadata: true,
  });
  assert.equal(documents.length, 4);
  assert.equal(byId[documents[0].file_id], 'garden');
  for (const d of documents) {
    assertDocumentShape(d);
    assertVector(d.vector, `vector of ${byId[d.file_id]} chunk ${d.chunk_index}`);
    assert.ok(d.tags !== null && typeof d.tags === 'object' && !Array.isArray(d.tags), `tags: ${JSON.stringify(d.tags)}`);
    assert.equal(typeof d.presigned_url, 'string');
    assert.equal(d.content_metadata.file_name, main.files[byId[d.file_id]].name);
  }
  const tagsOf = Object.fromEntries(documents.map((d) => [byId[d.file_id], d.tags]));
  assert.deepEqual(tagsOf.garden, { category: 'home', season: ['spring', 'summer'] });
  for (const [topic, tags] of Object.entries(tagsOf)) {
    if (topic === 'garden') continue;
    if (topic === 'bread') assert.deepEqual(tags, { category: 'home', season: 'winter' });
    else assert.deepEqual(tags, {}, `${topic} has no tags`);
  }
  // The raw-file link serves the uploaded bytes.
  const { bytes } = await download(documents[0].presigned_url);
  assert.equal(bytes.toString('utf8'), textOf('garden'));

  // The query's own embedding is close to the best chunk's vector; the vector is the chunk's embedding.
  const [again] = await search({ query, k: 1, include_vectors: true });
  assertSameVector(again.vector, documents[0].vector, 'the same chunk twice');
});

test('getDocuments hybrid_search: an exact code ranks its chunk first; tuning weights; weights must sum to 1', async () => {
  const errorChunk = (d) => d.file_id === main.files.router.id && d.content.includes('E-4412');

  // With these files, semantic search alone ranks a short tax chunk above the router's
  // troubleshooting paragraph for this query; the keyword side of hybrid search lifts the exact code.
  const hybrid = await search({ query: 'code E-4412', k: 5, hybrid_search: true });
  assert.ok(hybrid.length > 0);
  assert.ok(errorChunk(hybrid[0]), `hybrid top: ${JSON.stringify(hybrid.map((d) => [byId[d.file_id], d.content.slice(0, 50)]))}`);
  hybrid.forEach(assertDocumentShape);
  assertRanked(hybrid);

  // Keyword only (weight_a 0, weight_b 1): only chunks containing the words come back.
  const keywordOnly = await search({
    query: 'E-4412', k: 10, hybrid_search: true, hybrid_search_tuning_parameters: { weight_a: 0, weight_b: 1 },
  });
  assert.ok(keywordOnly.length >= 1);
  for (const d of keywordOnly) assert.ok(errorChunk(d), `keyword-only returned ${JSON.stringify(d.content)}`);
  assertRanked(keywordOnly);

  const stars = await search({
    query: 'telescope binoculars', k: 10, hybrid_search: true, hybrid_search_tuning_parameters: { weight_a: 0, weight_b: 1 },
  });
  assert.ok(stars.length >= 2, `keyword-only found ${stars.length}`);
  for (const d of stars) {
    assert.equal(byId[d.file_id], 'astronomy');
    assert.match(d.content, /telescope|binoculars/i);
  }
  // Semantic search, by contrast, always returns the k nearest chunks, matching words or not.
  const semantic = await search({ query: 'telescope binoculars', k: 10 });
  assert.equal(semantic.length, 10);
  assert.ok(distinct(topicsOf(semantic)).length > 1, JSON.stringify(topicsOf(semantic)));

  // A query with no word in any chunk finds nothing by keywords alone.
  const none = await search({
    query: 'zeppelin xylophone', k: 10, hybrid_search: true, hybrid_search_tuning_parameters: { weight_a: 0, weight_b: 1 },
  });
  assert.deepEqual(none, []);

  // Semantic only through the tuning parameters (1/0) still ranks by meaning.
  const meaning = await search({
    query: 'How do I knead dough?', k: 2, hybrid_search: true, hybrid_search_tuning_parameters: { weight_a: 1, weight_b: 0 },
  });
  assert.equal(byId[meaning[0].file_id], 'bread');

  // Balanced weights within the 0.001 tolerance are accepted.
  const balanced = await search({
    query: 'E-4412 WAN modem', k: 3, hybrid_search: true, hybrid_search_tuning_parameters: { weight_a: 0.5, weight_b: 0.5004 },
  });
  assert.ok(errorChunk(balanced[0]), JSON.stringify(balanced.map((d) => d.content.slice(0, 50))));

  // Weights that do not sum to 1: 422 with FastAPI's detail array naming the parameter.
  for (const weights of [{ weight_a: 0.5, weight_b: 0.6 }, { weight_a: 0.2, weight_b: 0.2 }]) {
    const problems = validationErrors(await expectError(main.client.embeddings.getDocuments({
      query: 'E-4412', k: 3, hybrid_search: true, hybrid_search_tuning_parameters: weights,
    }), 422));
    assert.ok(problems.some((p) => p.loc.includes('hybrid_search_tuning_parameters')), JSON.stringify(problems));
  }
});

test('getDocuments tags_v2 (AND, OR, list values, negate) and file_ids restrict the search', async () => {
  const query = 'seasonal chores at home';
  const filesFound = async (extra) => distinct(topicsOf(await search({ query, k: 1000, ...extra })));

  assert.deepEqual(await filesFound({ tags_v2: { AND: [{ key: 'category', value: 'home' }] } }), ['bread', 'garden']);
  assert.deepEqual(await filesFound({
    tags_v2: { AND: [{ key: 'category', value: 'home' }, { key: 'season', value: 'spring' }] },
  }), ['garden']);
  assert.deepEqual(await filesFound({
    tags_v2: { OR: [{ key: 'season', value: 'winter' }, { key: 'season', value: 'summer' }] },
  }), ['bread', 'garden']);
  assert.deepEqual(await filesFound({ tags_v2: { AND: [{ key: 'season', value: ['winter', 'autumn'] }] } }), ['bread']);
  assert.deepEqual(await filesFound({
    tags_v2: { AND: [{ key: 'category', value: 'home' }, { key: 'season', value: 'winter', negate: true }] },
  }), ['garden']);
  // Negation keeps the untagged files too (their chunks all come back with k=1000).
  assert.deepEqual(await filesFound({ tags_v2: { AND: [{ key: 'category', value: 'home', negate: true }] } }),
    ['astronomy', 'router', 'tax']);
  assert.deepEqual(await filesFound({ tags_v2: { OR: [{ key: 'category', value: 'office' }] } }), []);
  // The deprecated flat tags.
  assert.deepEqual(await filesFound({ tags: { season: 'winter' } }), ['bread']);

  // file_ids: the nearest chunks within those files only, even when better matches exist elsewhere.
  const baking = 'How long should the bread bake in the Dutch oven?';
  const inTax = await search({ query: baking, k: 3, file_ids: [main.files.tax.id] });
  assert.equal(inTax.length, 3);
  assert.deepEqual(distinct(topicsOf(inTax)), ['tax']);
  const inTwo = await search({ query: baking, k: 1000, file_ids: [main.files.tax.id, main.files.astronomy.id] });
  assert.deepEqual(distinct(topicsOf(inTwo)), ['astronomy', 'tax']);
  assert.equal(inTwo.length, main.ready.tax.file_statistics.num_embeddings + main.ready.astronomy.file_statistics.num_embeddings);
  // file_ids and tags together narrow further.
  assert.deepEqual(distinct(topicsOf(await search({
    query: baking, k: 1000, file_ids: [main.files.bread.id, main.files.tax.id], tags_v2: { AND: [{ key: 'category', value: 'home' }] },
  }))), ['bread']);

  // A malformed tags_v2 is a 422 naming it.
  const problems = validationErrors(await expectError(
    main.client.embeddings.getDocuments({ query, k: 3, tags_v2: { XOR: [] } }), 422));
  assert.ok(problems.some((p) => p.loc.includes('tags_v2')), JSON.stringify(problems));
});

test('getDocuments never crosses customers: another customer of the organization sees only its own chunks', async () => {
  const mainIds = new Set(Object.values(main.files).map((f) => f.id));
  const [mainChunk] = await search({ query: 'Tomatoes need sun', k: 1, include_vectors: true });
  const mainVector = mainChunk.vector;

  const modes = {
    semantic: { query: 'How much sunlight and water do tomatoes need?', k: 50 },
    hybrid: { query: 'tomatoes E-4412 sourdough Jupiter Form 1040', k: 50, hybrid_search: true },
    keyword: {
      query: 'tomatoes E-4412 sourdough Jupiter Form 1040', k: 50, hybrid_search: true,
      hybrid_search_tuning_parameters: { weight_a: 0, weight_b: 1 },
    },
    vector: { query: '', query_vector: mainVector, k: 50 },
    exact: { query: 'tomatoes', k: 50, high_accuracy: true },
  };
  for (const [mode, body] of Object.entries(modes)) {
    const documents = await search(body, other.client);
    assert.ok(documents.length >= 1, `${mode}: the other customer's own file is not found`);
    for (const d of documents) {
      assert.ok(!mainIds.has(d.file_id), `${mode}: the other customer got the main customer's file ${d.file_id}`);
      assert.equal(d.file_id, other.file.id, `${mode}: unexpected file ${d.file_id}`);
      assert.equal(d.source, other.file.name);
    }
  }
  // Naming the main customer's files or tags finds nothing.
  assert.deepEqual(await search({ query: 'tomatoes', k: 50, file_ids: [...mainIds] }, other.client), []);
  assert.deepEqual(await search({
    query: 'tomatoes', k: 50, tags_v2: { AND: [{ key: 'category', value: 'home' }] },
  }, other.client), []);

  // And the other way round: the main customer never sees the other customer's allotment diary.
  for (const body of [modes.semantic, modes.hybrid, { query: 'allotment courgettes canes', k: 50, hybrid_search: true }]) {
    const documents = await search(body);
    assert.ok(!documents.some((d) => d.file_id === other.file.id), `main customer got the other's file: ${JSON.stringify(body)}`);
  }
  assert.deepEqual(await search({ query: 'courgettes', k: 5, file_ids: [other.file.id] }), []);

  // A customer with no embedded files gets an empty list with a notice saying why (header and field).
  const empty = withApiKey(uniqueCustomerId('search-empty'));
  const response = await empty.embeddings.getDocuments({ query: 'tomatoes', k: 3 });
  assert.equal(response.status, 200);
  assert.deepEqual(response.data.documents, []);
  assert.equal(typeof response.headers['x-catchment-notice'], 'string');
  assert.equal(typeof response.data.notice, 'string');
  assert.ok(response.data.notice.includes(MODEL), response.data.notice);
});

test('getDocuments rejects what it cannot do: rerank (400), missing query or k (422)', async () => {
  const rerank = detailMessage(await expectError(main.client.embeddings.getDocuments({
    query: 'bread', k: 3, rerank: { model: 'COHERE_RERANK_MULTILINGUAL_V3' },
  }), 400));
  assert.match(rerank, /rerank/i);

  const missing = validationErrors(await expectError(main.client.embeddings.getDocuments({ query: 'bread' }), 422));
  assert.ok(missing.some((p) => p.loc.includes('k')), JSON.stringify(missing));
  const noQuery = validationErrors(await expectError(main.client.embeddings.getDocuments({ k: 3 }), 422));
  assert.ok(noQuery.some((p) => p.loc.includes('query')), JSON.stringify(noQuery));
});

// ---------------------------------------------------------------------------------------------
// embeddings.getEmbeddingsAndChunks (POST /text_chunks) and embeddings.list (POST /list_chunks_and_embeddings)

/** Asserts the SDK's EmbeddingAndChunk fields. */
function assertChunkShape(c, withVector) {
  assert.ok(Number.isInteger(c.user_file_id), `user_file_id: ${c.user_file_id}`);
  assert.ok(Number.isInteger(c.chunk_index) && c.chunk_index >= 0, `chunk_index: ${c.chunk_index}`);
  assert.equal(typeof c.source_content, 'string');
  assert.ok(c.source_content.length > 0, 'source_content is empty');
  assert.ok(c.content_metadata === null || c.content_metadata === undefined || typeof c.content_metadata === 'object');
  if (withVector) assertVector(c.embedding, `embedding of ${c.user_file_id}:${c.chunk_index}`);
  else assert.equal(c.embedding ?? null, null);
}

test('getEmbeddingsAndChunks: one file\'s chunks with count, ordering, paging, vectors', async () => {
  const router = main.files.router.id;
  const n = main.ready.router.file_statistics.num_embeddings;
  assert.ok(n >= 2, `the router manual should be several chunks with chunk_size ${CHUNK_SIZE}, got ${n}`);

  const chunks = async (body) => {
    const response = await main.client.embeddings.getEmbeddingsAndChunks(body);
    assert.equal(response.status, 200);
    assert.ok(Array.isArray(response.data.results), JSON.stringify(response.data));
    assert.ok(Number.isInteger(response.data.count), `count: ${response.data.count}`);
    return response.data;
  };

  const all = await chunks({ filters: { user_file_id: router }, order_by: 'chunk_index', order_dir: 'asc' });
  assert.equal(all.count, n);
  assert.deepEqual(all.results.map((c) => c.chunk_index), [...Array(n).keys()]);
  for (const c of all.results) {
    assertChunkShape(c, false);
    assert.equal(c.user_file_id, router);
  }
  const text = all.results.map((c) => c.source_content).join(' ');
  for (const phrase of ['Wireless router manual', 'E-4412', 'Maintenance tab']) assert.ok(text.includes(phrase), text);

  const desc = await chunks({ filters: { user_file_id: router }, order_by: 'chunk_index', order_dir: 'desc' });
  assert.deepEqual(desc.results.map((c) => c.chunk_index), [...Array(n).keys()].reverse());

  const page = await chunks({
    filters: { user_file_id: router }, order_by: 'chunk_index', order_dir: 'asc', pagination: { limit: 1, offset: 1 },
  });
  assert.equal(page.count, n);
  assert.equal(page.results.length, 1);
  assert.equal(page.results[0].chunk_index, 1);
  assert.equal(page.results[0].source_content, all.results[1].source_content);

  // With include_vectors: the chunk's embedding, the same vector getDocuments returns for it.
  const withVectors = await chunks({
    filters: { user_file_id: router, embedding_model: MODEL }, order_by: 'chunk_index', order_dir: 'asc', include_vectors: true,
  });
  assert.equal(withVectors.count, n);
  for (const c of withVectors.results) assertChunkShape(c, true);
  const [hit] = await search({ query: 'What does E-4412 mean?', k: 1, hybrid_search: true, include_vectors: true });
  assert.equal(hit.file_id, router);
  const same = withVectors.results.find((c) => c.chunk_index === hit.chunk_index);
  assert.equal(same.source_content, hit.content);
  assertSameVector(same.embedding, hit.vector, 'text_chunks embedding vs getDocuments vector');

  // Another model's chunks: none.
  assert.equal((await chunks({ filters: { user_file_id: router, embedding_model: 'OPENAI' } })).count, 0);

  // Another customer's file: 404; no filters: 422.
  detailMessage(await expectError(other.client.embeddings.getEmbeddingsAndChunks({ filters: { user_file_id: router } }), 404));
  detailMessage(await expectError(main.client.embeddings.getEmbeddingsAndChunks({ filters: { user_file_id: other.file.id } }), 404));
  const problems = validationErrors(await expectError(main.client.embeddings.getEmbeddingsAndChunks({ order_by: 'chunk_index' }), 422));
  assert.ok(problems.some((p) => p.loc.includes('filters')), JSON.stringify(problems));
});

test('embeddings.list: chunks across files with count, file filters, ordering and pagination', async () => {
  const ids = [main.files.garden.id, main.files.router.id];
  const [nGarden, nRouter] = [main.ready.garden, main.ready.router].map((f) => f.file_statistics.num_embeddings);

  const list = async (body) => {
    const response = await main.client.embeddings.list(body);
    assert.equal(response.status, 200);
    assert.ok(Array.isArray(response.data.results), JSON.stringify(response.data));
    return response.data;
  };

  const both = await list({ filters: { ids }, order_by: 'id', order_dir: 'asc', pagination: { limit: 100 } });
  assert.equal(both.count, nGarden + nRouter);
  assert.equal(both.results.length, nGarden + nRouter);
  both.results.forEach((c) => assertChunkShape(c, false));
  // Ordered by file id, then chunk index: the garden file (uploaded first) comes first.
  assert.deepEqual(both.results.map((c) => [c.user_file_id, c.chunk_index]),
    [...[...Array(nGarden).keys()].map((i) => [ids[0], i]), ...[...Array(nRouter).keys()].map((i) => [ids[1], i])]);
  const byFile = (fileId) => both.results.filter((c) => c.user_file_id === fileId).map((c) => c.source_content).join(' ');
  assert.ok(byFile(ids[0]).includes('ladybirds'), byFile(ids[0]));
  assert.ok(byFile(ids[1]).includes('E-4412'), byFile(ids[1]));

  const reversed = await list({ filters: { ids }, order_by: 'id', order_dir: 'desc', pagination: { limit: 100 } });
  assert.equal(reversed.results[0].user_file_id, ids[1]);
  assert.equal(reversed.results.at(-1).user_file_id, ids[0]);

  // Pages: count stays the total, the pages add up to the whole list.
  const first = await list({ filters: { ids }, order_by: 'id', order_dir: 'asc', pagination: { limit: 3, offset: 0 } });
  const second = await list({ filters: { ids }, order_by: 'id', order_dir: 'asc', pagination: { limit: 3, offset: 3 } });
  assert.equal(first.count, nGarden + nRouter);
  assert.equal(second.count, nGarden + nRouter);
  assert.equal(first.results.length, 3);
  assert.deepEqual([...first.results, ...second.results].map((c) => [c.user_file_id, c.chunk_index]),
    both.results.slice(0, 6).map((c) => [c.user_file_id, c.chunk_index]));

  // File filters: tags_v2, with vectors.
  const home = await list({
    filters: { tags_v2: { AND: [{ key: 'category', value: 'home' }] } }, include_vectors: true, pagination: { limit: 100 },
  });
  assert.equal(home.count, nGarden + main.ready.bread.file_statistics.num_embeddings);
  assert.deepEqual(distinct(home.results.map((c) => byId[c.user_file_id])), ['bread', 'garden']);
  home.results.forEach((c) => assertChunkShape(c, true));

  // Another customer's files are never listed, not even by id.
  const theirs = (await other.client.embeddings.list({ filters: { ids }, pagination: { limit: 100 } })).data;
  assert.equal(theirs.count, 0);
  assert.deepEqual(theirs.results, []);
  const own = (await other.client.embeddings.list({ pagination: { limit: 100 } })).data;
  assert.ok(own.count >= 1);
  assert.deepEqual(distinct(own.results.map((c) => c.user_file_id)), [other.file.id]);
});

// ---------------------------------------------------------------------------------------------
// embeddings.uploadChunksAndEmbeddings (POST /upload_chunks_and_embeddings)

test('uploadChunksAndEmbeddings: bring your own vectors, find them with query_vector; wrong dimension 422; chunks_only', async () => {
  const byo = main.files.byo.id;
  const own = [
    { chunk_number: 0, chunk: 'Custom chunk zero: the harbour ferry timetable for the winter season.', embedding: syntheticVector(7) },
    { chunk_number: 1, chunk: 'Custom chunk one: the ferry leaves the north pier every forty minutes.', embedding: syntheticVector(11) },
  ];
  const r = await main.client.embeddings.uploadChunksAndEmbeddings({
    embedding_model: MODEL,
    chunks_and_embeddings: [{ file_id: byo, chunk_size: 100, chunk_overlap: 0, chunks_and_embeddings: own }],
    overwrite_existing: true,
  });
  assert.equal(r.status, 200);
  assert.deepEqual(r.data, { success: true });

  // The file now holds exactly these chunks, with these vectors.
  const { data: stored } = await main.client.embeddings.getEmbeddingsAndChunks({
    filters: { user_file_id: byo }, order_by: 'chunk_index', order_dir: 'asc', include_vectors: true,
  });
  assert.equal(stored.count, 2);
  assert.deepEqual(stored.results.map((c) => [c.chunk_index, c.source_content]), own.map((c) => [c.chunk_number, c.chunk]));
  stored.results.forEach((c, i) => assertSameVector(c.embedding, own[i].embedding, `stored chunk ${i}`));

  // Searching with the vector itself finds that chunk first (cosine 1), among every file's chunks.
  const found = await search({ query: '', query_vector: own[1].embedding, k: 3, include_vectors: true });
  assert.equal(found[0].file_id, byo);
  assert.equal(found[0].chunk_index, 1);
  assert.equal(found[0].content, own[1].chunk);
  assert.ok(found[0].score > 0.999, `score ${found[0].score}`);
  assertSameVector(found[0].vector, own[1].embedding, 'returned vector');
  // The other customer searching with the same vector never gets it.
  const theirs = await search({ query: '', query_vector: own[1].embedding, k: 10 }, other.client);
  assert.ok(!theirs.some((d) => d.file_id === byo), JSON.stringify(theirs.map((d) => d.file_id)));

  // A vector of the wrong dimension: 422, and nothing changes.
  const problems = validationErrors(await expectError(main.client.embeddings.uploadChunksAndEmbeddings({
    embedding_model: MODEL,
    chunks_and_embeddings: [{ file_id: byo, chunks_and_embeddings: [{ chunk_number: 0, chunk: 'too short', embedding: syntheticVector(3).slice(0, 383) }] }],
    overwrite_existing: true,
  }), 422));
  assert.ok(problems.some((p) => p.loc.includes('embedding')), JSON.stringify(problems));
  const { data: unchanged } = await main.client.embeddings.getEmbeddingsAndChunks({
    filters: { user_file_id: byo }, order_by: 'chunk_index', order_dir: 'asc',
  });
  assert.deepEqual(unchanged.results.map((c) => c.source_content), own.map((c) => c.chunk));

  // chunks_only: the server embeds the given text with the model; the chunks are then found by meaning.
  const lighthouse = 'The lighthouse keeper climbs one hundred and twenty steps every evening to light the lamp.';
  const embedded = await main.client.embeddings.uploadChunksAndEmbeddings({
    embedding_model: MODEL,
    chunks_and_embeddings: [{ file_id: byo, chunks_and_embeddings: [{ chunk_number: 0, chunk: lighthouse }] }],
    overwrite_existing: true,
    chunks_only: true,
  });
  assert.deepEqual(embedded.data, { success: true });
  const [top] = await search({ query: 'Who looks after the light in the tower by the sea?', k: 1 });
  assert.equal(top.file_id, byo);
  assert.equal(top.content, lighthouse);
  assert.equal((await main.client.embeddings.getEmbeddingsAndChunks({ filters: { user_file_id: byo } })).data.count, 1);

  // Another customer cannot write chunks into this file.
  detailMessage(await expectError(other.client.embeddings.uploadChunksAndEmbeddings({
    embedding_model: MODEL,
    chunks_and_embeddings: [{ file_id: byo, chunks_and_embeddings: [{ chunk_number: 0, chunk: 'x', embedding: syntheticVector(5) }] }],
    overwrite_existing: true,
  }), 404));
});
