/**
 * A cleartext-signed message from openpgp.js, laid out as helm writes a .prov (Go's clearsign and armor): LF line
 * ends, where openpgp.js writes the text with CRLF (the signature is over the canonical CRLF form either way); the
 * signature's base64 in lines of 64 characters, where openpgp.js writes 60; no newline after the END line.
 *
 * The CRC-24 line after the base64 stays: helm 3 writes one and helm 4 does not, and openpgp.js keeps it for GnuPG
 * versions that cannot read an armor ending without padding when no checksum follows (dev.gnupg.org/T7071).
 */
export function helmCleartextLayout(armored: string): string {
  return armored
    .replace(/\r\n/g, '\n')
    .replace(SIGNATURE_BASE64, (_, begin: string, base64: string, end: string) => `${begin}${base64.replace(/\n/g, '').replace(/.{64}(?=.)/g, '$&\n')}${end}`)
    .replace(/\n$/, '');
}

/** The armor lines, the base64 of the signature, then the checksum line (if any) and the END line. */
const SIGNATURE_BASE64 = /(\n-----BEGIN PGP SIGNATURE-----\n\n)([A-Za-z0-9+/=\n]+?)(\n(?:=[A-Za-z0-9+/]{4}\n)?-----END PGP SIGNATURE-----)/;
