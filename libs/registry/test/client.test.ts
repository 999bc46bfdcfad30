import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RegistryError, SchemaRegistryClient } from '../src/index.ts';

/** Answers every request with one status and body, recording what was asked. */
function answering(status: number, body: unknown, seen: Request[] = []): typeof fetch {
  return (async (url: string, init: RequestInit) => {
    seen.push(new Request(url, init));
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  }) as typeof fetch;
}

test('lookup posts the schema as Avro to the subject, with basic credentials', async () => {
  const seen: Request[] = [];
  const client = new SchemaRegistryClient({
    url: 'http://r/apis/ccompat/v7/',
    basicAuth: 'u:p',
    fetch: answering(200, { id: 7, schema: '"string"', subject: 'a b', version: 2 }, seen),
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

test('a 404 is "not found" only with the error codes that mean it', async () => {
  const notFound = (code?: number) => answering(404, code === undefined ? {} : { error_code: code });
  assert.equal(
    await new SchemaRegistryClient({ url: 'http://r', fetch: notFound(40403) }).schemaById(1),
    null,
  );
  assert.equal(await new SchemaRegistryClient({ url: 'http://r', fetch: notFound() }).schemaById(1), null);
  assert.equal(
    await new SchemaRegistryClient({ url: 'http://r', fetch: notFound(40401) }).listVersions('s'),
    null,
  );
  assert.equal(
    await new SchemaRegistryClient({ url: 'http://r', fetch: notFound(40401) }).lookup('s', '{}'),
    null,
  );
  // A 404 with another code (a wrong base URL on some servers) is an error, not an empty answer.
  await assert.rejects(new SchemaRegistryClient({ url: 'http://r', fetch: notFound(40499) }).schemaById(1), {
    code: 'REGISTRY_ERROR',
    retriable: false,
  });
});

test('5xx, 429, 408 and network errors are retriable; other 4xx are not', async () => {
  const once = (f: typeof fetch) => new SchemaRegistryClient({ url: 'http://r', fetch: f, attempts: 1 });
  for (const status of [503, 429, 408]) {
    await assert.rejects(once(answering(status, 'busy')).schemaById(1), (error: unknown) => {
      assert.ok(error instanceof RegistryError);
      assert.equal(error.code, 'REGISTRY_ERROR');
      assert.equal(error.retriable, true, String(status));
      assert.equal(error.context.httpStatus, status);
      return true;
    });
  }
  await assert.rejects(
    once(answering(422, { error_code: 42201, message: 'bad schema' })).register('s', '{'),
    {
      code: 'REGISTRY_ERROR',
      retriable: false,
      message: /422 \(error 42201\) for subject "s".*bad schema/,
    },
  );
  const offline = (async () => {
    throw new TypeError('fetch failed');
  }) as typeof fetch;
  await assert.rejects(once(offline).schemaById(1), {
    code: 'REGISTRY_UNREACHABLE',
    retriable: true,
    message: /fetch failed/,
  });
});

test('retriable failures are retried up to the attempts, then the last failure surfaces', async () => {
  const seen: Request[] = [];
  const client = new SchemaRegistryClient({
    url: 'http://r',
    fetch: answering(503, 'busy', seen),
    attempts: 2,
  });
  await assert.rejects(client.listSubjects(), { code: 'REGISTRY_ERROR', retriable: true });
  assert.equal(seen.length, 2);
  const refused: Request[] = [];
  await assert.rejects(
    new SchemaRegistryClient({
      url: 'http://r',
      fetch: answering(401, 'no', refused),
      attempts: 3,
    }).listSubjects(),
    { retriable: false },
  );
  assert.equal(refused.length, 1, 'a refusal is not asked again');
});

test('schemaById keeps references and sets the id', async () => {
  const client = new SchemaRegistryClient({
    url: 'http://r',
    fetch: answering(200, { schema: '{}', references: [{ name: 'a.B', subject: 'b', version: 1 }] }),
  });
  assert.deepEqual(await client.schemaById(9), {
    id: 9,
    schema: '{}',
    references: [{ name: 'a.B', subject: 'b', version: 1 }],
  });
});
