// tickets.mjs - the seed experiment in Node.js: Node's event loop with
// fetch (undici, built in since Node 18) and a concurrency limit, no npm
// packages, speaking benchrun's exec protocol (docs/exec-protocol.md).
//
// URLs arrive on stdin, one per line; for each request it prints
// `start I`, then `summary I STATUS FIELDS` (the day parsed and summarised
// here, in JavaScript) or `error I STATUS TEXT`.  BENCHRUN_CONCURRENCY
// bounds the requests in flight; BENCHRUN_CPU_US_PER_TRIP burns that much
// CPU per trip.
import { createHash } from 'node:crypto';

const cpuPerTrip = Number(process.env.BENCHRUN_CPU_US_PER_TRIP || 0);
const limit = Math.max(1, Number(process.env.BENCHRUN_CONCURRENCY || 10));
const FNV_PRIME = 0x100000001b3n;
const MASK = (1n << 64n) - 1n;

// Each line is "URL", or "URL SECONDS" in an open-model scenario: request i
// may not start before BENCHRUN_EPOCH + SECONDS on CLOCK_MONOTONIC, the
// clock process.hrtime reads on Linux.
const epochNs = BigInt(Math.round(Number(process.env.BENCHRUN_EPOCH || 0) * 1e9));
const due = [];

async function readUrls() {
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) text += chunk;
  const urls = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (!f[0]) continue;
    urls.push(f[0]);
    if (f[1] !== undefined) due.push(epochNs + BigInt(Math.round(Number(f[1]) * 1e9)));
  }
  return urls;
}

// Resolve once request i is due (at once in the closed model).
async function whenDue(i) {
  if (!due.length) return;
  for (;;) {
    const left = due[i] - process.hrtime.bigint();
    if (left <= 0n) return;
    await new Promise((r) => setTimeout(r, Math.max(1, Number(left / 1000000n))));
  }
}

// Real CPU work, not sleep: hashing until the process's CPU clock moves
// (the loop is single-threaded, so that is this request's CPU).
function burn(us) {
  const cpu = () => { const u = process.cpuUsage(); return u.user + u.system; };
  const end = cpu() + us;
  let blob = Buffer.alloc(64, 'x');
  while (cpu() < end) blob = createHash('sha256').update(blob).digest();
}

function minutes(stamp) {
  return Number(stamp.slice(11, 13)) * 60 + Number(stamp.slice(14, 16));
}

// Parse and summarise one day: the canonical summary text.
function prepare(body) {
  const trips = JSON.parse(body).trips;
  let cheapest = null, total = 0, seats = 0, first = null;
  let digest = 0xcbf29ce484222325n;
  for (const t of trips) {
    const cents = Math.round(t.price.amount * 100);
    cheapest = cheapest === null ? cents : Math.min(cheapest, cents);
    total += cents;
    seats += t.free_seats;
    const dep = minutes(t.departure);
    first = first === null ? dep : Math.min(first, dep);
    for (const b of Buffer.from(t.id)) digest = ((digest ^ BigInt(b)) * FNV_PRIME) & MASK;
  }
  if (cpuPerTrip) burn(cpuPerTrip * trips.length);
  return `trips=${trips.length} cheapest=${cheapest ?? 0} total=${total} ` +
    `seats=${seats} first=${first ?? 0} digest=${digest.toString(16).padStart(16, '0')}`;
}

const emit = (line) => process.stdout.write(line + '\n');

async function fetchOne(i, url) {
  emit(`start ${i}`);
  let res, body;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(60000) });
    body = await res.text();
  } catch (e) {
    emit(`error ${i} 0 ${String(e.cause?.message || e.message).replace(/\n/g, ' ').slice(0, 200)}`);
    return;
  }
  if (res.status !== 200) {
    emit(`error ${i} ${res.status} HTTP ${res.status}`);
    return;
  }
  try {
    emit(`summary ${i} ${res.status} ${prepare(body)}`);
  } catch (e) {
    emit(`error ${i} ${res.status} bad body: ${String(e.message).slice(0, 200)}`);
  }
}

// Start-up is over (node started, modules loaded): benchrun measures wall
// time and CPU from here, like a C plugin's run hook.
emit('ready');
const urls = await readUrls();
let next = 0;
// `limit` workers, each taking the next request when its last one is done.
async function worker() {
  while (next < urls.length) {
    const i = next++;
    await whenDue(i);
    await fetchOne(i, urls[i]);
  }
}
await Promise.all(Array.from({ length: Math.min(limit, urls.length) }, worker));
