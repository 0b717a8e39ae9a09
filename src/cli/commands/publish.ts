import { ChartshipError } from '../../errors.js';
import type { CliIO } from '../io.js';

// Placeholder until the publish command lands.
export async function run(_argv: string[], _io: CliIO): Promise<number> {
  throw new ChartshipError('chartship publish is not implemented yet');
}
