import { fileTypeFromBuffer } from 'file-type';
import { cleanFileName, extensionOf } from '../../lib/file-names.js';

/** Bytes read before the kind is decided: enough for a docx's first zip entries. */
export const SNIFF_BYTES = 64 * 1024;

interface Kind {
  contentType: string;
  /** Extensions a file of this kind may have, lower case with the dot. */
  extensions: string[];
  /** What file-type calls it; absent for kinds told apart here. */
  detected?: string[];
}

/** What may be uploaded: the seed system's list, plus webm and ogg audio for voice messages. */
const KINDS = {
  jpeg: { contentType: 'image/jpeg', extensions: ['.jpg', '.jpeg'], detected: ['jpg'] },
  png: { contentType: 'image/png', extensions: ['.png'], detected: ['png'] },
  pdf: { contentType: 'application/pdf', extensions: ['.pdf'], detected: ['pdf'] },
  doc: { contentType: 'application/msword', extensions: ['.doc'] },
  docx: { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['.docx'] },
  txt: { contentType: 'text/plain; charset=utf-8', extensions: ['.txt'] },
  mp3: { contentType: 'audio/mpeg', extensions: ['.mp3'], detected: ['mp3'] },
  wav: { contentType: 'audio/wav', extensions: ['.wav'], detected: ['wav'] },
  webm: { contentType: 'audio/webm', extensions: ['.webm', '.weba'], detected: ['webm'] },
  ogg: { contentType: 'audio/ogg', extensions: ['.ogg', '.oga', '.opus'], detected: ['ogg', 'oga', 'opus', 'spx'] },
} satisfies Record<string, Kind>;

type KindName = keyof typeof KINDS;

export const ACCEPTED_EXTENSIONS = Object.values(KINDS).flatMap((kind) => kind.extensions);

const CFB_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP_LOCAL_HEADER = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/**
 * Whether a zip's local headers within `head` name an entry under word/. Zip writers that stream
 * (sizes in a data descriptor after the data) defeat walking the entries one after another, so
 * every local-header signature in the head is looked at.
 */
function zipHasWordEntry(head: Buffer): boolean {
  for (let at = head.indexOf(ZIP_LOCAL_HEADER); at !== -1 && at + 30 <= head.length; at = head.indexOf(ZIP_LOCAL_HEADER, at + 4)) {
    const nameLength = head.readUInt16LE(at + 26);
    if (head.toString('latin1', at + 30, Math.min(head.length, at + 30 + nameLength)).startsWith('word/')) return true;
  }
  return false;
}

/** UTF-8 without NUL; a head cut from a longer file may end inside a character. */
function isText(head: Buffer, complete: boolean): boolean {
  if (head.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

async function kindOfBytes(head: Buffer, complete: boolean): Promise<KindName | undefined> {
  if (head.subarray(0, CFB_MAGIC.length).equals(CFB_MAGIC)) return 'doc';
  const detected = await fileTypeFromBuffer(head);
  if (!detected) return isText(head, complete) ? 'txt' : undefined;
  if (detected.ext === 'docx' || (detected.ext === 'zip' && zipHasWordEntry(head))) return 'docx';
  return (Object.keys(KINDS) as KindName[]).find((name) => (KINDS[name] as Kind).detected?.includes(detected.ext));
}

/**
 * The content type of a file whose first bytes are `head` (the whole file when `complete`), and
 * its name: with the kind's extension added when it had none. Undefined when the bytes are no
 * accepted kind, or another kind than the name's extension says.
 */
export async function acceptedKind(name: string, head: Buffer, complete: boolean): Promise<{ contentType: string; name: string } | undefined> {
  const extension = extensionOf(name).toLowerCase();
  const claimed = (Object.keys(KINDS) as KindName[]).find((kind) => KINDS[kind].extensions.includes(extension));
  if (!claimed && extension !== '') return undefined;
  const actual = await kindOfBytes(head, complete);
  if (!actual || (claimed && actual !== claimed)) return undefined;
  return { contentType: KINDS[actual].contentType, name: claimed ? name : cleanFileName(`${name}${KINDS[actual].extensions[0]}`) };
}
