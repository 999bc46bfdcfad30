// Preloaded into every integration test process (test/package.json): kafkajs's known-harmless timer warning
// would otherwise be printed by each test that talks to Kafka (see ignoreKafkajsTimerWarning).
import { ignoreKafkajsTimerWarning } from '@adlake/sdk';

ignoreKafkajsTimerWarning();
