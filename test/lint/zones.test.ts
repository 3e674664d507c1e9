import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Lints in-memory snippets as if they lived in each zone, with the project's real config.
const eslint = new ESLint({ cwd: process.cwd() });
async function violations(file: string, code: string) {
  const [res] = await eslint.lintText(code, { filePath: file });
  return (res?.messages ?? []).filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

describe('zone boundaries are enforced by lint', () => {
  it.each([
    ['shared/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n"],
    ['shared/x.ts', "import { join } from 'path';\nexport const a = join;\n"],
    ['shared/x.ts', "import { useState } from 'react';\nexport const a = useState;\n"],
    ['shared/x.ts', "import { startWebHost } from '../electron/host/web';\nexport const a = startWebHost;\n"],
    ['shared/contract/x.ts', "import { App } from '../../renderer/App';\nexport const a = App;\n"],
    ['renderer/x.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n"],
    ['renderer/x.ts', "import keytar from 'keytar';\nexport const a = keytar;\n"],
    ['renderer/x.ts', "import { createHash } from 'node:crypto';\nexport const a = createHash;\n"],
    ['renderer/screens/x.tsx', "import { createRouter } from '../../electron/host/router';\nexport const a = createRouter;\n"],
    ['renderer/x.ts', "import { request } from 'undici';\nexport const a = request;\n"],
    ['electron/x.ts', "import { App } from '../renderer/App';\nexport const a = App;\n"],
  ])('%s: a bad import fails lint', async (file, code) => {
    expect((await violations(file, code)).length).toBeGreaterThan(0);
  });

  it.each([
    ['shared/x.ts', "import { z } from 'zod';\nexport const a = z;\n"],
    ['renderer/x.ts', "import { contract } from '../shared/contract';\nexport const a = contract;\n"],
    ['electron/x.ts', "import { readFileSync } from 'node:fs';\nimport { contract } from '../shared/contract';\nexport const a = [readFileSync, contract];\n"],
  ])('%s: an allowed import passes', async (file, code) => {
    expect(await violations(file, code)).toEqual([]);
  });
});
