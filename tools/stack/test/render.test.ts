import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadStackConfig } from '../src/config.ts';
import {
  renderCoreSite,
  renderHadoopXml,
  renderHdfsSite,
  MIRROR_PROBE_TOPIC,
  renderKafkaServerProperties,
  renderMirrorMakerProperties,
  renderNpmrc,
  renderVerdaccioConfig,
} from '../src/render.ts';

const config = loadStackConfig({
  ADLAKE_KAFKA_PORT: '19092',
  ADLAKE_KAFKA_CONTROLLER_PORT: '19093',
  ADLAKE_KAFKA_DR_PORT: '19094',
  ADLAKE_KAFKA_DR_CONTROLLER_PORT: '19095',
  ADLAKE_HDFS_HTTP_PORT: '19870',
});

/** Reads a properties file as java.util.Properties would for these files (`key=value`, `\\` escapes). */

function props(text: string): Map<string, string> {
  return new Map(
    text
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).replaceAll('\\\\', '\\')]),
  );
}

test('kafka server.properties: KRaft single node on loopback, no auto-created topics', () => {
  const p = props(renderKafkaServerProperties(config, 'kafka', '/abs/data'));
  assert.equal(p.get('process.roles'), 'broker,controller');
  assert.equal(p.get('controller.quorum.voters'), '1@127.0.0.1:19093');
  assert.equal(p.get('listeners'), 'PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093');
  assert.equal(p.get('advertised.listeners'), 'PLAINTEXT://127.0.0.1:19092');
  assert.equal(p.get('auto.create.topics.enable'), 'false');
  assert.equal(p.get('log.dirs'), '/abs/data');
  assert.equal(p.get('offsets.topic.replication.factor'), '1');
});

test('kafka-secure server.properties: SASL_SSL only, SCRAM for clients, PLAIN for the controller, deny by default', () => {
  const p = props(
    renderKafkaServerProperties(config, 'kafka-secure', '/abs/secure-data', {
      brokerKeystore: '/s/broker.p12',
      truststore: '/s/truststore.p12',
      storePassword: 'store-pw',
      adminUser: 'admin',
      adminPassword: 'admin-pw',
    }),
  );
  assert.equal(p.get('listeners'), 'SASL_SSL://127.0.0.1:9096,CONTROLLER://127.0.0.1:9097');
  assert.equal(p.get('advertised.listeners'), 'SASL_SSL://127.0.0.1:9096');
  // No listener of any other protocol: a PLAINTEXT one would be a way around authentication.
  assert.equal(p.get('listener.security.protocol.map'), 'CONTROLLER:SASL_SSL,SASL_SSL:SASL_SSL');
  assert.equal(p.get('sasl.enabled.mechanisms'), 'SCRAM-SHA-512');
  assert.equal(p.get('sasl.mechanism.controller.protocol'), 'PLAIN');
  assert.equal(p.get('authorizer.class.name'), 'org.apache.kafka.metadata.authorizer.StandardAuthorizer');
  assert.equal(p.get('allow.everyone.if.no.acl.found'), 'false');
  assert.equal(p.get('super.users'), 'User:admin');
  assert.equal(p.get('ssl.keystore.location'), '/s/broker.p12');
  assert.match(
    p.get('listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config') ?? '',
    /username="admin" password="admin-pw";$/,
  );
  assert.match(p.get('listener.name.controller.plain.sasl.jaas.config') ?? '', /user_admin="admin-pw";$/);
});

test('kafka-dr server.properties: the same single-node cluster on its own ports', () => {
  const dr = props(renderKafkaServerProperties(config, 'kafka-dr', '/abs/dr-data'));
  const primary = props(renderKafkaServerProperties(config, 'kafka', '/abs/dr-data'));
  assert.equal(dr.get('listeners'), 'PLAINTEXT://127.0.0.1:19094,CONTROLLER://127.0.0.1:19095');
  assert.equal(dr.get('advertised.listeners'), 'PLAINTEXT://127.0.0.1:19094');
  assert.equal(dr.get('controller.quorum.voters'), '1@127.0.0.1:19095');
  assert.equal(dr.get('log.dirs'), '/abs/dr-data');
  const differing = [...primary.keys()].filter((k) => primary.get(k) !== dr.get(k)).sort();
  assert.deepEqual(differing, ['advertised.listeners', 'controller.quorum.voters', 'listeners']);
  assert.deepEqual([...dr.keys()].sort(), [...primary.keys()].sort());
});

test('mm2.properties: one flow primary->dr, DefaultReplicationPolicy, replication factor 1, fast intervals', () => {
  const p = props(renderMirrorMakerProperties(config));
  assert.equal(p.get('clusters'), 'primary, dr');
  assert.equal(p.get('primary.bootstrap.servers'), '127.0.0.1:19092');
  assert.equal(p.get('dr.bootstrap.servers'), '127.0.0.1:19094');
  assert.equal(p.get('primary->dr.enabled'), 'true');
  assert.equal(p.get('dr->primary.enabled'), 'false');
  assert.equal(p.get('dr->primary.emit.heartbeats.enabled'), 'false');
  assert.equal(p.get('primary->dr.topics'), 'adserver\\..*, adlake-stack\\.mirror-probe');
  assert.equal(p.get('replication.policy.class'), 'org.apache.kafka.connect.mirror.DefaultReplicationPolicy');
  assert.equal(p.get('replication.policy.separator'), '.');
  for (const key of [
    'replication.factor',
    'checkpoints.topic.replication.factor',
    'heartbeats.topic.replication.factor',
    'offset-syncs.topic.replication.factor',
    'offset.storage.replication.factor',
    'status.storage.replication.factor',
    'config.storage.replication.factor',
  ]) {
    assert.equal(p.get(key), '1', key);
  }
  assert.equal(p.get('sync.topic.acls.enabled'), 'false');
  assert.equal(p.get('emit.offset-syncs.enabled'), 'true');
  assert.equal(p.get('emit.checkpoints.enabled'), 'true');
  for (const key of [...p.keys()].filter((k) => k.endsWith('.interval.seconds'))) {
    assert.ok(Number(p.get(key)) <= 5, `${key}=${p.get(key) ?? ''} is seconds, for tests`);
  }
  assert.ok(Number(p.get('refresh.topics.interval.seconds')) <= 2, 'new topics are mirrored within seconds');
  assert.equal(p.get('schemas'), undefined);
});

test('mm2.properties: the configured pattern, plus the readiness probe topic whatever the pattern', () => {
  const custom = loadStackConfig({ ADLAKE_MIRRORMAKER_TOPICS: 'orders\\.v[0-9]+' });
  const topics = props(renderMirrorMakerProperties(custom)).get('primary->dr.topics') ?? '';
  const patterns = topics.split(',').map((t) => new RegExp(`^(?:${t.trim()})$`));
  assert.equal(patterns.length, 2);
  assert.ok(patterns.some((r) => r.test('orders.v2')));
  assert.ok(patterns.some((r) => r.test(MIRROR_PROBE_TOPIC)));
  assert.ok(
    !patterns.some((r) => r.test('adlake-stackXmirror-probe')),
    'the dot of the probe topic is escaped',
  );
  assert.ok(!patterns.some((r) => r.test('adserver.impressions')));
});

test('hadoop xml escapes names and values', () => {
  const xml = renderHadoopXml({ 'a.b': 'x<y&"z"' });
  assert.match(xml, /<property><name>a\.b<\/name><value>x&lt;y&amp;&quot;z&quot;<\/value><\/property>/);
});

test('core-site: static groups for the service, other and analyst users and the superuser', () => {
  const xml = renderCoreSite(config, '/abs/hdfs', 'root');
  assert.match(
    xml,
    /<name>hadoop\.user\.group\.static\.mapping\.overrides<\/name><value>dr\.who=;adlake=adlake;intruder=intruder;analyst=analysts;root=supergroup;<\/value>/,
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
