import * as core from '@actions/core';
import { putBackOnInterrupt } from '../model/bumped-files.js';
import { reportUnannotated } from './log.js';
import { announce, reportFailure, start } from './start.js';

// The action's entry. The inputs are checked first, with a small part of the bundle; the pipeline is read only for a
// run that gets past them. A cancelled job (the runner sends SIGINT, then SIGTERM) leaves the work tree as it was.
putBackOnInterrupt((line) => core.info(line), (code) => process.exit(code));
try {
  const started = start(process.env);
  announce(started);
  const { proceed } = await import('./run.js');
  await proceed(started, process.env);
} catch (error) {
  reportFailure(error);
} finally {
  await reportUnannotated();
}
