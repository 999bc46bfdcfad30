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

/** A token endpoint and a registry in one fetch: tokens are "t1", "t2", …; the registry accepts `valid` ones. */
function oauthServer(options: { expiresIn?: number; valid?: (token: string) => boolean; status?: number }) {
  const calls: { url: string; body: string; authorization: string | null }[] = [];
  let issued = 0;
  const fetchFn = (async (url: string, init: RequestInit) => {
    const request = new Request(url, init);
    const body = await request.text();
    calls.push({ url, body, authorization: request.headers.get('authorization') });
    if (url === 'http://idp/token') {
      if (!new URLSearchParams(body).get('client_secret')?.startsWith('s3cret')) {
        return new Response(
          JSON.stringify({ error: 'unauthorized_client', error_description: 'Invalid client' }),
          {
            status: 401,
          },
        );
      }
      issued += 1;
      return new Response(
        JSON.stringify({ access_token: `t${issued}`, expires_in: options.expiresIn ?? 300 }),
      );
    }
    const token = request.headers.get('authorization')?.replace(/^Bearer /, '') ?? '';
    if (!(options.valid ?? (() => true))(token))
      return new Response('{"message":"unauthorized"}', { status: 401 });
    if (options.status !== undefined) {
      return new Response('{"message":"User is not authorized to perform the requested operation."}', {
        status: options.status,
      });
    }
    return new Response('["a"]');
  }) as typeof fetch;
  return { fetchFn, calls, tokenCalls: () => calls.filter((c) => c.url === 'http://idp/token').length };
}

const credentials = { tokenUrl: 'http://idp/token', clientId: 'adlake-reader', clientSecret: 's3cret-value' };

test('client credentials: one token for many requests, sent as a bearer token, the secret only to the token endpoint', async () => {
  const server = oauthServer({});
  const client = new SchemaRegistryClient({
    url: 'http://r',
    clientCredentials: credentials,
    fetch: server.fetchFn,
  });
  assert.deepEqual(await client.listSubjects(), ['a']);
  assert.deepEqual(await client.listSubjects(), ['a']);
  assert.equal(server.tokenCalls(), 1);
  const form = new URLSearchParams(server.calls[0]?.body);
  assert.deepEqual([form.get('grant_type'), form.get('client_id')], ['client_credentials', 'adlake-reader']);
  const registryCalls = server.calls.filter((c) => c.url.startsWith('http://r/'));
  assert.deepEqual(
    registryCalls.map((c) => c.authorization),
    ['Bearer t1', 'Bearer t1'],
  );
  assert.ok(registryCalls.every((c) => !c.body.includes('s3cret')));
});

test('a token is renewed before it expires', async () => {
  // expires_in 0: already past its renewal time when the next request comes.
  const server = oauthServer({ expiresIn: 0 });
  const client = new SchemaRegistryClient({
    url: 'http://r',
    clientCredentials: credentials,
    fetch: server.fetchFn,
  });
  await client.listSubjects();
  await client.listSubjects();
  assert.equal(server.tokenCalls(), 2);
});

test('a token the registry stops accepting is renewed once, then the request succeeds', async () => {
  const server = oauthServer({ valid: (token) => token !== 't1' });
  const client = new SchemaRegistryClient({
    url: 'http://r',
    clientCredentials: credentials,
    fetch: server.fetchFn,
  });
  assert.deepEqual(await client.listSubjects(), ['a']);
  assert.equal(server.tokenCalls(), 2);
});

test('a registry that refuses every token: UNAUTHENTICATED, not retriable, naming the client and not its secret', async () => {
  const server = oauthServer({ valid: () => false });
  const client = new SchemaRegistryClient({
    url: 'http://r',
    clientCredentials: credentials,
    fetch: server.fetchFn,
    attempts: 3,
  });
  await assert.rejects(client.listSubjects(), (error: unknown) => {
    assert.ok(error instanceof RegistryError);
    assert.equal(error.code, 'REGISTRY_UNAUTHENTICATED');
    assert.equal(error.retriable, false);
    assert.equal(error.context.principal, 'adlake-reader');
    assert.equal(error.context.resource, 'GET /subjects');
    assert.match(error.message, /"adlake-reader"/);
    assert.doesNotMatch(error.message, /s3cret/);
    return true;
  });
  // One renewal, and no retry storm: two registry requests and two tokens in all.
  assert.equal(server.calls.length, 4);
});

test('a 403 is FORBIDDEN, naming who asked for what, and is not retried', async () => {
  const server = oauthServer({ status: 403 });
  const client = new SchemaRegistryClient({
    url: 'http://r',
    clientCredentials: credentials,
    fetch: server.fetchFn,
    attempts: 3,
  });
  await assert.rejects(client.register('adserver.x-value', '"string"'), (error: unknown) => {
    assert.ok(error instanceof RegistryError);
    assert.equal(error.code, 'REGISTRY_FORBIDDEN');
    assert.equal(error.retriable, false);
    assert.equal(error.context.subject, 'adserver.x-value');
    assert.match(
      error.message,
      /does not allow "adlake-reader" to POST \/subjects\/adserver\.x-value\/versions/,
    );
    return true;
  });
  assert.equal(server.calls.filter((c) => c.url.startsWith('http://r/')).length, 1);
});

test('a token endpoint that refuses the client: UNAUTHENTICATED, naming the client and the endpoint, never the secret', async () => {
  const server = oauthServer({});
  const client = new SchemaRegistryClient({
    url: 'http://r',
    clientCredentials: { ...credentials, clientSecret: 'wrong-one' },
    fetch: server.fetchFn,
  });
  await assert.rejects(client.listSubjects(), (error: unknown) => {
    assert.ok(error instanceof RegistryError);
    assert.equal(error.code, 'REGISTRY_UNAUTHENTICATED');
    assert.equal(error.retriable, false);
    assert.match(
      error.message,
      /token endpoint http:\/\/idp\/token refused client "adlake-reader" \(HTTP 401, unauthorized_client: Invalid client\)/,
    );
    assert.doesNotMatch(error.message, /wrong-one/);
    return true;
  });
});

test('basic auth: a 401 names the user, never the password', async () => {
  const client = new SchemaRegistryClient({
    url: 'http://r',
    basicAuth: 'adlake-release:pa55',
    fetch: answering(401, { message: 'no' }),
  });
  await assert.rejects(client.listSubjects(), (error: unknown) => {
    assert.ok(error instanceof RegistryError);
    assert.equal(error.code, 'REGISTRY_UNAUTHENTICATED');
    assert.match(error.message, /credentials of "adlake-release"/);
    assert.doesNotMatch(error.message, /pa55/);
    return true;
  });
});

test('only one kind of credentials at a time', () => {
  assert.throws(
    () => new SchemaRegistryClient({ url: 'http://r', basicAuth: 'a:b', clientCredentials: credentials }),
    /one of basicAuth, bearerToken and clientCredentials/,
  );
});
