// The drawing of the house in docs/architecture.md must be the house: every arrow between our libraries and
// apps is an import in their source, and every such import is drawn.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from '../src/nx.ts';

/** `@adlake/<name>` → the project's id in the drawing: its folder name (`app_` before an app's), `-` as `_`. */
function projects(): Map<string, string> {
  const byPackage = new Map<string, string>();
  for (const group of ['libs', 'apps']) {
    for (const dir of readdirSync(join(WORKSPACE_ROOT, group))) {
      try {
        const pkg = JSON.parse(readFileSync(join(WORKSPACE_ROOT, group, dir, 'package.json'), 'utf8')) as {
          name: string;
        };
        byPackage.set(pkg.name, `${group === 'apps' ? 'app_' : ''}${dir.replaceAll('-', '_')}`);
      } catch {
        // not a project
      }
    }
  }
  return byPackage;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

function importedEdges(): Set<string> {
  const byPackage = projects();
  const edges = new Set<string>();
  for (const [, project] of byPackage) {
    const folder = project.startsWith('app_') ? `apps/${project.slice(4)}` : `libs/${project}`;
    const root = join(WORKSPACE_ROOT, folder.replaceAll('_', '-'));
    // Generated code belongs to the project it is generated into (libs/events).
    const files = [join(root, 'src'), join(root, 'generated')].flatMap((dir) => {
      try {
        return sourceFiles(dir);
      } catch {
        return [];
      }
    });
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?:from|import)\s*\(?\s*'(@adlake\/[a-z-]+)(?:\/[^']*)?'/g)) {
        const target = byPackage.get(match[1] ?? '');
        if (target !== undefined && target !== project) edges.add(`${project} --> ${target}`);
      }
    }
  }
  return edges;
}

function drawnEdges(): Set<string> {
  const doc = readFileSync(join(WORKSPACE_ROOT, 'docs', 'architecture.md'), 'utf8');
  const block = /```mermaid\n([\s\S]*?)```/.exec(doc)?.[1];
  assert.ok(block !== undefined, 'docs/architecture.md has no mermaid drawing');
  const edges = new Set<string>();
  for (const line of block.split('\n')) {
    const match = /^\s*(\w+)(?:\[[^\]]*\])?\s*-->\s*(\w+)/.exec(line);
    if (match !== null) edges.add(`${match[1]} --> ${match[2]}`);
  }
  return edges;
}

test('docs/architecture.md draws exactly the imports between our libraries and apps', () => {
  const drawn = drawnEdges();
  const imported = importedEdges();
  const missing = [...imported].filter((e) => !drawn.has(e)).sort();
  const extra = [...drawn].filter((e) => !imported.has(e)).sort();
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
});
