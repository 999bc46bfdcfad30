import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSettings } from '@adlake/sink';
import { eventClassesByTopic, resolveTopics, withTopicAliases } from '../src/wiring.ts';

test('every generated event class is found by its topic', () => {
  assert.deepEqual([...eventClassesByTopic().keys()].sort(), [
    'adserver.clicks',
    'adserver.engagements',
    'adserver.impressions',
  ]);
});

test('a topic without a class, a pattern matching nothing and a bad alias are configuration errors naming the key', () => {
  const classes = eventClassesByTopic();
  assert.throws(
    () =>
      resolveTopics(
        loadSettings({ env: { ADLAKE_SINK_TOPICS: 'adserver.impressions,adserver.nope' } }),
        classes,
      ),
    /topics: no generated event class for adserver\.nope/,
  );
  assert.throws(
    () => resolveTopics(loadSettings({ env: { ADLAKE_SINK_TOPIC_PATTERN: '^billing\\.' } }), classes),
    /topicPattern: \^billing\\\. matches no known topic/,
  );
  assert.throws(
    () =>
      withTopicAliases(
        loadSettings({
          env: { ADLAKE_SINK_TOPICS: 'x', ADLAKE_SINK_TOPIC_CLASSES: 'dr.imps=adserver.nope' },
        }),
        eventClassesByTopic(),
      ),
    /topicClasses: "dr\.imps=adserver\.nope" must be topic=classTopic/,
  );
});

test('an alias reads a mirrored topic with the class of the original, and a pattern selects known topics', () => {
  const settings = loadSettings({
    env: {
      ADLAKE_SINK_TOPICS: 'dr.adserver.impressions',
      ADLAKE_SINK_TOPIC_CLASSES: 'dr.adserver.impressions=adserver.impressions',
    },
  });
  const classes = withTopicAliases(settings, eventClassesByTopic());
  assert.deepEqual(resolveTopics(settings, classes), ['dr.adserver.impressions']);
  assert.equal(classes.get('dr.adserver.impressions')?.subject, 'adserver.impressions-value');
  assert.deepEqual(
    resolveTopics(
      loadSettings({ env: { ADLAKE_SINK_TOPIC_PATTERN: 'click|engage' } }),
      eventClassesByTopic(),
    ).sort(),
    ['adserver.clicks', 'adserver.engagements'],
  );
});
