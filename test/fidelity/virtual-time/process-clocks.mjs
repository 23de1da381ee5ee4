import { setTimeout as sleep } from 'node:timers/promises';
import { roughly, runInNode } from './run-in-node.mjs';

// A program's clocks when it starts: performance.now() and process.uptime() count from the
// process's start, which was some tens of milliseconds ago (not 0); performance.timeOrigin +
// performance.now() is Date.now(); process.hrtime() counts from an earlier origin (the boot).
// All of them move together with the time that passes.
export async function main(seen) {
  const now = performance.now();
  seen.atStart = {
    nowIsRealistic: now >= 10 && now < 1000,
    uptimeIsNow: Math.abs(process.uptime() * 1000 - now) < 5,
    timeOriginPlusNowIsDateNow: Math.abs(performance.timeOrigin + now - Date.now()) < 5,
    hrtimeIsBeyondNow: Number(process.hrtime.bigint()) / 1e6 > now,
    hrtimeAgrees: Math.abs(process.hrtime()[0] * 1e3 + process.hrtime()[1] / 1e6 - Number(process.hrtime.bigint()) / 1e6) < 5,
  };
  const before = { now, uptime: process.uptime(), hrtime: process.hrtime.bigint(), hrtimePair: process.hrtime(), date: Date.now() };
  await sleep(300);
  const diff = process.hrtime(before.hrtimePair);
  seen.moved = {
    now: roughly(performance.now() - before.now, 100),
    uptime: roughly((process.uptime() - before.uptime) * 1000, 100),
    hrtime: roughly(Number(process.hrtime.bigint() - before.hrtime) / 1e6, 100),
    hrtimeDiff: roughly(diff[0] * 1e3 + diff[1] / 1e6, 100),
    date: roughly(Date.now() - before.date, 100),
  };
}

runInNode(import.meta.url, main);
