// The orchestrator's side of the status.json lock, for tests/test_lock_interop.py.
//
// Uses the real npm package proper-lockfile (found through NODE_PATH) the way the orchestrator
// does (../shared/corpus/scripts/lib/plan-output-utils.js): lock, read status.json, change it,
// write it with a temporary file and a rename, release. Every event is one JSON line on stdout,
// stamped with Date.now() (milliseconds since the epoch, the same clock as Python's time.time()).
//
//   node status_lock.js hold FILE OPTIONS HOLD_MS [late]
//       Lock, read FILE, write {"nodeMarker": "held"} into it (not with "late"), print "locked",
//       keep the lock HOLD_MS ms (or until stdin closes when HOLD_MS < 0), then write
//       {"nodeFinal": "released"} from the copy read at lock time (as a read-modify-write does),
//       print "releasing", release and print "released". "intact" in "releasing" says whether
//       FILE still held exactly what we last wrote or read, i.e. nobody wrote it meanwhile.
//   node status_lock.js acquire FILE OPTIONS
//       Wait for the lock (OPTIONS.retries), print "locked" with the file's content, release.
//   node status_lock.js increment FILE OPTIONS COUNT KEY GOFILE
//       Print "ready", wait for GOFILE to exist, then COUNT times: lock, read, KEY += 1, write,
//       release. A lock() that runs out of retries (ELOCKED) is called again, up to ATTEMPTS
//       times. Prints "done" with the increments made, any errors, the number of ELOCKED
//       timeouts and the longest wait for the lock in ms.
//
// OPTIONS is a JSON object passed to lockfile.lock (stale, realpath, retries, ...).

'use strict';

const fs = require('fs');
const path = require('path');
const lockfile = require('proper-lockfile');

const ATTEMPTS = 3; // lock() calls per increment before `increment` gives up

function emit(event, extra) {
  process.stdout.write(JSON.stringify({ event, t: Date.now(), ...extra }) + '\n');
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// The orchestrator's writeFileAtomic: temporary file in the same folder, then rename.
function writeAtomic(file, text) {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  fs.writeFileSync(temporary, text, 'utf-8');
  fs.renameSync(temporary, file);
}

function lockOptions(json) {
  return {
    ...JSON.parse(json),
    onCompromised: (error) => {
      emit('compromised', { message: error.message });
      process.exitCode = 3;
    },
  };
}

async function hold(file, options, holdMs, late) {
  const release = await lockfile.lock(file, options);
  let written = fs.readFileSync(file, 'utf-8');
  const data = JSON.parse(written);
  if (!late) {
    data.nodeMarker = 'held';
    written = JSON.stringify(data, null, 2);
    writeAtomic(file, written);
  }
  emit('locked');
  if (holdMs >= 0) {
    await sleep(holdMs);
  } else {
    await new Promise((resolve) => {
      process.stdin.on('end', resolve);
      process.stdin.resume();
    });
  }
  const intact = fs.readFileSync(file, 'utf-8') === written;
  data.nodeFinal = 'released';
  written = JSON.stringify(data, null, 2);
  writeAtomic(file, written);
  emit('releasing', { intact });
  await release();
  emit('released');
}

async function acquire(file, options) {
  const start = Date.now();
  const release = await lockfile.lock(file, options);
  emit('locked', { waited: Date.now() - start, content: fs.readFileSync(file, 'utf-8') });
  await release();
  emit('released');
}

async function increment(file, options, count, key, goFile) {
  emit('ready');
  while (!fs.existsSync(goFile)) {
    await sleep(2);
  }
  const errors = [];
  let made = 0;
  let timeouts = 0;
  let longestWait = 0;
  for (let i = 0; i < count; i += 1) {
    let release = null;
    for (let attempt = 0; attempt < ATTEMPTS && release === null; attempt += 1) {
      const asked = Date.now();
      try {
        release = await lockfile.lock(file, options);
        longestWait = Math.max(longestWait, Date.now() - asked);
      } catch (error) {
        if (error.code !== 'ELOCKED') {
          errors.push(`lock: ${error.code || ''} ${error.message}`);
          break;
        }
        timeouts += 1; // retries used up under contention: a liveness matter, try again
      }
    }
    if (release === null) {
      errors.push(`no lock after ${ATTEMPTS} attempts`);
      continue;
    }
    try {
      const data = JSON.parse(fs.readFileSync(file, 'utf-8'));
      data[key] = (data[key] || 0) + 1;
      writeAtomic(file, JSON.stringify(data, null, 2) + '\n');
      made += 1;
    } catch (error) {
      errors.push(`update: ${error.message}`);
    } finally {
      await release();
    }
  }
  emit('done', { made, errors, timeouts, longestWait });
}

async function main() {
  const [command, file, optionsJson, ...rest] = process.argv.slice(2);
  const options = lockOptions(optionsJson || '{}');
  if (command === 'hold') {
    await hold(file, options, Number(rest[0]), rest[1] === 'late');
  } else if (command === 'acquire') {
    await acquire(file, options);
  } else if (command === 'increment') {
    await increment(file, options, Number(rest[0]), rest[1], rest[2]);
  } else {
    throw new Error(`unknown command ${command}`);
  }
}

main().catch((error) => {
  emit('error', { code: error.code || null, message: error.message });
  process.exitCode = 1;
});
