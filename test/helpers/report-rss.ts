/**
 * Preloaded (`node --import tsx --import ./test/helpers/report-rss.ts …`) into a child process whose memory a test
 * measures: at exit, the process prints its own peak resident set size on stderr, where the test reads it.
 */
process.on('exit', () => {
  process.stderr.write(`\nchartship-test-max-rss-kib=${process.resourceUsage().maxRSS}\n`);
});

