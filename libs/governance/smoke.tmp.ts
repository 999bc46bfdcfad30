import { readFileSync } from 'node:fs';
import { generateTypeScript } from './src/codegen/index.ts';
const fx = (f: string) => JSON.parse(readFileSync(`test/codegen/fixtures/${f}`, 'utf8'));
const r = generateTypeScript({
  schemas: [
    { file: 'AdImpression.avsc', json: fx('AdImpression.avsc'), subject: 'adserver.ad-impression-value', topic: 'adserver.ad-impressions' },
    { file: 'Category.avsc', json: fx('Category.avsc'), subject: 'taxonomy.category-value' },
  ],
  lookupNamedType: (n) => (n === 'com.acme.adserver.common.Device' ? fx('common/Device.avsc') : undefined),
});
for (const f of r.files) if (f.path !== '_runtime.ts') console.log(`==== ${f.path}\n${f.contents}`);
