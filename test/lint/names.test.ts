import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// One concept, one type: a type, interface, class or enum name is exported from one file only,
// so `import { X }` means the same thing wherever it is written. Two concepts that happen to
// share a word get names that say which one they are.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SOURCE_DIRS = ['shared', 'electron', 'renderer', 'scripts', 'bench'];
const EXPORTED_TYPE = /^export\s+(?:declare\s+)?(?:abstract\s+)?(?:type|interface|class|enum|const\s+enum)\s+([A-Za-z_$][\w$]*)/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return /\.(ts|tsx|mts|cts)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

function exportedTypeNames(source: string): string[] {
  return [...source.matchAll(EXPORTED_TYPE)].map((m) => m[1] as string);
}

describe('exported type names', () => {
  it('finds type, interface, class and enum exports, not values', () => {
    const sample = [
      'export type A = 1;',
      'export interface B {}',
      'export abstract class C {}',
      'export const enum D {}',
      'export const E = 1;',
      'export function F() {}',
      '  export type G = 2;',
    ].join('\n');
    expect(exportedTypeNames(sample)).toEqual(['A', 'B', 'C', 'D']);
  });

  it('are each exported from one file', () => {
    const owners = new Map<string, string[]>();
    for (const dir of SOURCE_DIRS) {
      for (const file of sourceFiles(path.join(ROOT, dir))) {
        for (const name of exportedTypeNames(readFileSync(file, 'utf8'))) {
          owners.set(name, [...(owners.get(name) ?? []), path.relative(ROOT, file)]);
        }
      }
    }
    const twice = [...owners].filter(([, files]) => files.length > 1).map(([name, files]) => `${name}: ${files.join(', ')}`);
    expect(twice).toEqual([]);
  });
});
