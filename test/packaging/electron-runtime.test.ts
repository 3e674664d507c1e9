// What `npm start` does about Electron, tested where Electron itself cannot be downloaded:
// which native builds the main process loads under a stubbed process.versions.electron, and
// the one sentence (never a stack trace) when the runtime cannot be had.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronBinary, nativeDir } from '../../scripts/lib/electron-runtime.mjs';
import { electronNativeDir, redirectNativeModules } from '../../electron/shell/native-modules';
import { tempDir } from '../helpers/context';

const electronVersions = { ...process.versions, electron: '45.5.0', modules: '140' } as NodeJS.ProcessVersions;

function nativeBuilds(root: string, abi: string) {
  for (const m of ['better-sqlite3', 'keytar']) {
    const dir = join(nativeDir(root, abi), 'node_modules', m);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: m }));
  }
}

describe('native modules under Electron', () => {
  it("uses the Electron builds when running under Electron and they exist, Node's otherwise", () => {
    const root = tempDir('native-');
    expect(electronNativeDir(electronVersions, root)).toBeNull();
    nativeBuilds(root, '140');
    expect(electronNativeDir(electronVersions, root)).toBe(join(root, '.electron-native', 'electron-140', 'node_modules'));
    // Plain Node (the tests, posctl): node_modules as installed.
    expect(electronNativeDir(process.versions, root)).toBeNull();
    // Built for another Electron ABI: not used.
    expect(electronNativeDir({ ...electronVersions, modules: '141' } as NodeJS.ProcessVersions, root)).toBeNull();
  });

  it('redirects only better-sqlite3 and keytar', () => {
    const seen: string[] = [];
    const mod = { _resolveFilename: (request: string) => (seen.push(request), request) };
    redirectNativeModules('/opt/till/.electron-native/electron-140/node_modules', mod);
    mod._resolveFilename('keytar');
    mod._resolveFilename('better-sqlite3');
    mod._resolveFilename('zod');
    expect(seen).toEqual(['/opt/till/.electron-native/electron-140/node_modules/keytar', '/opt/till/.electron-native/electron-140/node_modules/better-sqlite3', 'zod']);
  });
});

describe('the Electron runtime', () => {
  function fakeElectron(installer: string) {
    const root = tempDir('electron-pkg-');
    const pkg = join(root, 'node_modules', 'electron');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'electron', version: '45.5.0' }));
    writeFileSync(join(pkg, 'install.js'), installer);
    return root;
  }

  it('offline: one reason, no stack trace', () => {
    const root = fakeElectron("console.error(new Error('getaddrinfo ENOTFOUND github.com').stack); process.exit(1);");
    const found = electronBinary(root);
    expect(found).toEqual({ binary: null, reason: 'its download server cannot be reached from this machine' });
  });

  it('installs the runtime where it can, and then finds it without installing again', () => {
    const root = fakeElectron(
      "const fs=require('fs');fs.mkdirSync(__dirname+'/dist',{recursive:true});fs.writeFileSync(__dirname+'/dist/electron','');fs.writeFileSync(__dirname+'/path.txt','electron');",
    );
    const binary = join(root, 'node_modules', 'electron', 'dist', 'electron');
    expect(electronBinary(root)).toEqual({ binary });
    expect(electronBinary(root, { install: false })).toEqual({ binary });
  });

  it('no electron package at all: says so', () => {
    expect(electronBinary(tempDir('no-electron-')).reason).toMatch(/not installed/);
  });
});
