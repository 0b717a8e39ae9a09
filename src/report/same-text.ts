/**
 * Whether a body GitHub holds is the text chartship would write. GitHub gives a body back as it was sent, except with
 * CRLF line ends once it was saved in the web editor (a maintainer's edit, a ticked checkbox): text that differs only
 * there is the same, and is not written again.
 */
export function sameText(stored: string, text: string): boolean {
  return stored === text || stored.replace(/\r\n/g, '\n') === text.replace(/\r\n/g, '\n');
}
