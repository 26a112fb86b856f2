/**
 * Display names of uploaded files. They are shown and sent back in Content-Disposition, never
 * used as a path (storage keys are ids), but a name still travels to other people's disks.
 */

const MAX_NAME_LENGTH = 200;
/** Longest extension kept whole when a name is cut to length. */
const MAX_EXTENSION_LENGTH = 16;
// C0 and C1 controls (NUL included), bidi embeddings, overrides and isolates, and the marks that
// let a name such as "invoice\u202Efdp.exe" display as "invoiceexe.pdf".
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// Characters Windows refuses in a file name (the separators are gone already).
const WINDOWS_FORBIDDEN = /[<>:"|?*]/g;
// Windows opens a device for these whatever the extension: "con.txt" is the console.
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3])$/i;

/** The part of a name after its last dot, with the dot ("" if none or if it is too long to be one). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || name.length - dot > MAX_EXTENSION_LENGTH + 1) return '';
  return name.slice(dot);
}

/**
 * The last path component of what the client sent, without invisible or control characters,
 * with a Windows device name prefixed by "_", without trailing dots and spaces, and cut to 200
 * characters keeping the extension. An empty result is "file".
 */
export function cleanFileName(raw: string): string {
  let name = (raw.normalize('NFC').split(/[/\\]/).at(-1) ?? '').replace(INVISIBLE, '').replace(WINDOWS_FORBIDDEN, '_');
  name = name.trim().replace(/[. ]+$/, '');
  if (name === '') return 'file';
  const stem = name.split('.')[0] ?? '';
  if (WINDOWS_RESERVED.test(stem.trimEnd())) name = `_${name}`;
  const characters = Array.from(name);
  if (characters.length > MAX_NAME_LENGTH) {
    const extension = Array.from(extensionOf(name));
    name = characters.slice(0, MAX_NAME_LENGTH - extension.length).join('').trimEnd() + extension.join('');
  }
  return name;
}

/** RFC 5987's attr-char: what encodeURIComponent leaves alone, less the four it must not. */
function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * `attachment` with the name twice (RFC 6266): an ASCII fallback in `filename` for old clients
 * and the exact name, UTF-8 and percent-encoded, in `filename*`.
 */
export function attachmentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${percentEncode(name)}`;
}
