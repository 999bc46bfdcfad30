import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadStackConfig } from '../src/config.ts';
import {
  renderCoreSite,
  renderHadoopXml,
  renderHdfsSite,
  renderKafkaServerProperties,
  renderNpmrc,
  renderVerdaccioConfig,
} from '../src/render.ts';

const config = loadStackConfig({
  ADLAKE_KAFKA_PORT: '19092',
  ADLAKE_KAFKA_CONTROLLER_PORT: '19093',
  ADLAKE_HDFS_HTTP_PORT: '19870',
});

function props(text: string): Map<string, string> {
  return new Map(
    text
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

test('kafka server.properties: KRaft single node on loopback, no auto-created topics', () => {
  const p = props(renderKafkaServerProperties(config, '/abs/data'));
  assert.equal(p.get('process.roles'), 'broker,controller');
  assert.equal(p.get('controller.quorum.voters'), '1@127.0.0.1:19093');
  assert.equal(p.get('listeners'), 'PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093');
  assert.equal(p.get('advertised.listeners'), 'PLAINTEXT://127.0.0.1:19092');
  assert.equal(p.get('auto.create.topics.enable'), 'false');
  assert.equal(p.get('log.dirs'), '/abs/data');
  assert.equal(p.get('offsets.topic.replication.factor'), '1');
});

test('hadoop xml escapes names and values', () => {
  const xml = renderHadoopXml({ 'a.b': 'x<y&"z"' });
  assert.match(xml, /<property><name>a\.b<\/name><value>x&lt;y&amp;&quot;z&quot;<\/value><\/property>/);
});

test('core-site: static groups for both users and the superuser', () => {
  const xml = renderCoreSite(config, '/abs/hdfs', 'root');
  assert.match(
    xml,
    /<name>hadoop\.user\.group\.static\.mapping\.overrides<\/name><value>dr\.who=;adlake=adlake;intruder=intruder;root=supergroup;<\/value>/,
  );
  assert.match(xml, /<name>fs\.defaultFS<\/name><value>hdfs:\/\/127\.0\.0\.1:8020<\/value>/);
});

test('hdfs-site: permissions on and DataNode registered as 127.0.0.1 (WebHDFS redirects)', () => {
  const xml = renderHdfsSite(config, '/abs/hdfs');
  for (const [k, v] of [
    ['dfs.permissions.enabled', 'true'],
    ['dfs.webhdfs.enabled', 'true'],
    ['dfs.datanode.hostname', '127.0.0.1'],
    ['dfs.namenode.http-address', '127.0.0.1:19870'],
    ['dfs.namenode.name.dir', 'file:///abs/hdfs/dfs/name'],
  ]) {
    assert.ok(xml.includes(`<name>${k}</name><value>${v}</value>`), `${k}=${v}`);
  }
});

test('verdaccio config has no uplinks and needs auth to publish', () => {
  const yaml = renderVerdaccioConfig('/abs/storage', '/abs/htpasswd');
  assert.match(yaml, /^uplinks: \{\}$/m);
  assert.doesNotMatch(yaml, /proxy:/);
  assert.match(yaml, /publish: \$authenticated/);
  assert.match(yaml, /^storage: "\/abs\/storage"$/m);
});

test('npmrc token key matches host:port exactly, with one trailing slash', () => {
  assert.equal(
    renderNpmrc('http://127.0.0.1:4873/', 'T'),
    'registry=http://127.0.0.1:4873/\n//127.0.0.1:4873/:_authToken=T\n',
  );
  assert.equal(renderNpmrc('http://127.0.0.1:4873', 'T').split('\n')[1], '//127.0.0.1:4873/:_authToken=T');
});
