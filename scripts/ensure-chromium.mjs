// Before the tests: the bug-report test renders HTML in Debian's Chromium. Install it when it
// is missing and this machine can (root with apt-get); otherwise say that test will be skipped.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
if (existsSync(CHROMIUM)) process.exit(0);
const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
if (!canInstall) {
  console.warn(`race-hunt tests: ${CHROMIUM} is missing and cannot be installed here (needs root and apt-get); the browser rendering test will be skipped.`);
  process.exit(0);
}
console.log('race-hunt tests: installing Debian chromium for the bug-report rendering test…');
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
