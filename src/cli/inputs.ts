import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ChartshipError } from '../model/errors.js';
import type { CliIO } from './io.js';

/** A file a flag names (a key, a passphrase), relative to the working directory; a read failure names the flag. */
export async function readFlagFile(io: CliIO, path: string, field: string): Promise<string> {
  const file = resolve(io.cwd, path);
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new ChartshipError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { field, file });
  }
}

/**
 * `--password-stdin`: the password (or token) piped in, without the newline that echo or a here-string adds. Nothing
 * piped in (a CI job's stdin is empty) is refused here: the registry would only call the credentials wrong.
 */
export async function passwordFromStdin(io: CliIO): Promise<string> {
  const password = (await io.readStdin()).toString('utf8').replace(/\r?\n$/, '');
  if (password.trim() === '') {
    throw new ChartshipError('standard input is empty', { field: '--password-stdin', code: 'USAGE', hint: 'pipe the password in: echo "$PASSWORD" | chartship … --password-stdin' });
  }
  return password;
}

/** An armored signing key and its passphrase, from the files two flags name (the passphrase file's last newline dropped). */
export async function signingKeyFiles(io: CliIO, keyFile: string, passphraseFile: string | undefined, flags: { key: string; passphrase: string }) {
  const armoredKey = await readFlagFile(io, keyFile, flags.key);
  const passphrase = passphraseFile ? (await readFlagFile(io, passphraseFile, flags.passphrase)).replace(/\r?\n$/, '') : undefined;
  return { armoredKey, passphrase, label: keyFile };
}
