import { defineConfig } from 'vitest/config';

// One runner for every zone: unit, integration (real loopback HTTP, real SQLite, real
// keychain) and end-to-end (real Chromium via playwright-core). scripts/test.sh wraps it
// in a private D-Bus session with gnome-keyring and prints the CI summary line.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
