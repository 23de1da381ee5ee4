import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A fixture project's tests run under its own vitest config (test/e2e/vitest-project.test.ts).
    exclude: [...configDefaults.exclude, 'test/fixtures/**'],
    // End-to-end tests spawn the real binary; give them room on a shared 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    passWithNoTests: false,
  },
});
