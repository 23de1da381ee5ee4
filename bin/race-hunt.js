#!/usr/bin/env node
// The installed command: a thin shell that hands over to the compiled CLI. In a clone of the
// repository nothing is compiled until `npm run build` (the published package ships dist/).
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write(
    `race-hunt is not built: ${main.pathname} is missing. In a clone of the repository, run \`npm run build\` first (npm ci does not build).\n`,
  );
  process.exit(2);
}
await import(main.href);
