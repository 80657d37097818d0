// V8 and allocator settings of the data-heavy commands (run, collect, demo), applied by re-executing the
// same process with them (process.execve: same pid, no parent left behind) before anything is loaded.
// Measured with `npm run bench` (scrape cycle over 1,000 8-GPU hosts): V8's defaults let the young
// generation grow to 2 x 64 MB and the old one to ~4x its live size between full collections, ~450 MB
// peak RSS; with these, ~250 MB for ~0.3 more CPU-seconds per million samples.

/** V8 flags: an 8 MB semi-space (young generation 16 MB) and a full collection at 1.5x the live heap. */
export const SERVICE_V8_FLAGS = ['--max-semi-space-size=8', '--heap-growing-percent=50'];

/**
 * Environment: glibc maps blocks of 32 KB and more separately and returns them when freed (it otherwise
 * keeps, e.g., the compiler memory of a finished worker thread).
 */
export const SERVICE_ENV = { MALLOC_MMAP_THRESHOLD_: '32768' };

/** Commands that get the settings. A false positive (a provider named `run`) only tunes a short command. */
const TUNED_COMMANDS = new Set(['run', 'collect', 'demo']);

/** Set in the re-executed process (and by anyone who wants their own flags: OPTIINFRA_NO_TUNING=1). */
const MARKER = 'OPTIINFRA_TUNED';

/**
 * Re-executes this process with the settings when `argv` (process.argv) runs a tuned command and they are
 * not applied yet. Flags the user gave node (execArgv) come after ours, so theirs win. Returns when nothing
 * is to be done (or the platform has no execve).
 */
export function applyRuntimeTuning(argv = process.argv) {
  if (process.env[MARKER] || process.env.OPTIINFRA_NO_TUNING || typeof process.execve !== 'function') return;
  if (!argv.slice(2).some((argument) => TUNED_COMMANDS.has(argument))) return;
  const env = { ...SERVICE_ENV, ...process.env, [MARKER]: '1' };
  process.execve(process.execPath, [process.execPath, ...SERVICE_V8_FLAGS, ...process.execArgv, ...argv.slice(1)], env);
}
