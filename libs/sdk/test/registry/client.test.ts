import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRegistryClient } from '../../src/registry/client.ts';

function fakeFetch(status: number, body: unknown, seen: Request[] = []): typeof fetch {
  return (async (url: string, init: RequestInit) => {
    seen.push(new Request(url, init));
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  }) as typeof fetch;
}

test('lookup posts the schema as Avro and returns id and references', async () => {
  const seen: Request[] = [];
  const client = createRegistryClient({
    url: 'http://r/apis/ccompat/v7/',
    auth: { username: 'u', password: 'p' },
    fetch: fakeFetch(200, { id: 7, schema: '"string"', subject: 'a b', version: 2 }, seen),
  });
  assert.deepEqual(await client.lookup('a b', '"string"'), {
    id: 7,
    schema: '"string"',
    references: [],
    subject: 'a b',
    version: 2,
  });
  assert.equal(seen[0]?.url, 'http://r/apis/ccompat/v7/subjects/a%20b');
  assert.equal(seen[0]?.method, 'POST');
  assert.equal(seen[0]?.headers.get('authorization'), `Basic ${Buffer.from('u:p').toString('base64')}`);
  assert.deepEqual(await seen[0]?.json(), { schemaType: 'AVRO', schema: '"string"', references: [] });
});

test('404 is "not found"; 5xx, 429 and network errors are retriable and asked once; 4xx is not', async () => {
  const asked: Request[] = [];
  await assert.rejects(
    createRegistryClient({ url: 'http://r', fetch: fakeFetch(503, 'busy', asked) }).schemaById(1),
  );
  assert.equal(asked.length, 1, 'the producer and consumer retry, not the client under them');
  assert.equal(
    await createRegistryClient({ url: 'http://r', fetch: fakeFetch(404, { error_code: 40402 }) }).version(
      's',
      3,
    ),
    undefined,
  );
  assert.equal(
    await createRegistryClient({ url: 'http://r', fetch: fakeFetch(404, { error_code: 40403 }) }).schemaById(
      1,
    ),
    undefined,
  );
  assert.equal(
    await createRegistryClient({ url: 'http://r', fetch: fakeFetch(404, {}) }).versions('s'),
    undefined,
  );
  await assert.rejects(
    createRegistryClient({ url: 'http://r', fetch: fakeFetch(503, 'busy') }).schemaById(1),
    { code: 'REGISTRY_UNAVAILABLE', retriable: true },
  );
  await assert.rejects(
    createRegistryClient({ url: 'http://r', fetch: fakeFetch(429, 'slow down') }).schemaById(1),
    { code: 'REGISTRY_UNAVAILABLE', retriable: true },
  );
  await assert.rejects(
    createRegistryClient({ url: 'http://r', fetch: fakeFetch(422, 'bad schema') }).register('s', '{'),
    { code: 'REGISTRY_ERROR', retriable: false },
  );
  const offline = (async () => {
    throw new TypeError('fetch failed');
  }) as typeof fetch;
  await assert.rejects(createRegistryClient({ url: 'http://r', fetch: offline }).schemaById(1), {
    code: 'REGISTRY_UNAVAILABLE',
    retriable: true,
    message: /fetch failed/,
  });
});

test('schemaById keeps references and sets the id', async () => {
  const client = createRegistryClient({
    url: 'http://r',
    fetch: fakeFetch(200, { schema: '{}', references: [{ name: 'a.B', subject: 'b', version: 1 }] }),
  });
  assert.deepEqual(await client.schemaById(9), {
    id: 9,
    schema: '{}',
    references: [{ name: 'a.B', subject: 'b', version: 1 }],
  });
});
