/**
 * Preloaded (`node --import ./test/helpers/report-rss.mjs dist/cli.js …`) into a child process whose memory a test
 * measures: at exit, the process prints its own peak resident set size on stderr, where the test reads it. Plain
 * JavaScript, so it preloads into the bundled CLI without a TypeScript loader.
 */
import process from 'node:process';

process.on('exit', () => {
  process.stderr.write(`\nchartship-test-max-rss-kib=${process.resourceUsage().maxRSS}\n`);
});
