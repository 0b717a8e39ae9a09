import * as core from '@actions/core';

// Placeholder until the action lands.
export async function run(): Promise<void> {
  core.setFailed('chartship action is not implemented yet');
}

await run();
