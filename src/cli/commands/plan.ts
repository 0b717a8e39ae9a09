import { ChartshipError } from '../../errors.js';
import type { CliIO } from '../io.js';

// Placeholder until the plan command lands.
export async function run(_argv: string[], _io: CliIO): Promise<number> {
  throw new ChartshipError('chartship plan is not implemented yet');
}
