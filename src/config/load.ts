import { readFile } from 'node:fs/promises';
import { ChartshipError } from '../model/errors.js';
import { defaultConfig, parseConfig, type ChartshipConfig } from './index.js';

/**
 * Reads a configuration file; `display` names it in errors (`.chartship.yaml`, or the path the user gave). A file
 * that is not there is the default configuration, unless the user named it (`required`).
 */
export async function loadConfig(path: string, display: string, options: { required?: boolean } = {}): Promise<ChartshipConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if ((code === 'ENOENT' || code === 'ENOTDIR') && !options.required) return defaultConfig();
    throw new ChartshipError(code === 'ENOENT' ? 'configuration file not found' : `cannot read the configuration file: ${(error as Error).message}`, {
      file: display,
      code: 'CONFIG_INVALID',
    });
  }
  return parseConfig(text, display);
}
