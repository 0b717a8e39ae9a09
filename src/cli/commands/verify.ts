import { ChartshipError } from '../../errors.js';
import type { CliIO } from '../io.js';

// Placeholder until the verify command lands.
export async function run(_argv: string[], _io: CliIO): Promise<number> {
  throw new ChartshipError('chartship verify is not implemented yet');
}
