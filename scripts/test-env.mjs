// The environment of the test processes, for scripts/test.mjs and bench/suite.ts alike. Only node built-ins:
// scripts/test.mjs loads it before node_modules exists.

/**
 * `bundle`: what scripts/test-bundle.mjs built (its `env`); `scratch`: the TMPDIR of scripts/test-scratch.mjs, if any.
 *
 * Go programs the tests start (docker-registry, helm, skopeo) run on one Go thread unless GOMAXPROCS is set already:
 * their answers are the same, and a Go runtime given a thread per core spends a quarter more CPU on each short
 * command (`perf stat -r 40` of `helm template` of a `helm create` chart: 88–103 ms with two threads, 48–77 ms with
 * one) and on each registry request (4.2 ms instead of 5.5, over 240 requests), on a machine whose cores the test
 * files share. Benchmarks run outside the suite, so their registry and helm run as users run them. Helpers that give a child an
 * environment of their own carry it over (test/helpers/go-threads.ts).
 *
 * CHARTSHIP_TEST_RETRY_WAIT_MS shortens the product's real-time waits between attempts at Sigstore, its TUF
 * repository and the Actions token endpoint (src/sign/attest/sign.ts, firstRetryWaitMs) to 10 ms: their faults are served
 * on loopback, the attempts are the same, and seconds of sleeping per failed attempt held the longest files up
 * (test/helpers/cli.ts and action.ts hand it to the processes they start).
 */
export function testEnv(bundle, scratch) {
  return { ...process.env, GOMAXPROCS: process.env['GOMAXPROCS'] ?? '1', CHARTSHIP_TEST_RETRY_WAIT_MS: process.env['CHARTSHIP_TEST_RETRY_WAIT_MS'] ?? '10', ...bundle.env, ...(scratch ? { TMPDIR: scratch } : {}) };
}
