// Removes what a camera or a phone writes into a photo besides the picture:
// EXIF (with the GPS position of the home the photo was taken from, the phone's
// make and serial), XMP, IPTC, comments, PNG text chunks. A resident's photo
// goes to their neighbours: it must show what they saw, not where they live.
//
// Both filters keep an allow-list of what is needed to draw the picture and
// drop everything else, so a metadata block we have never heard of goes too.
// They copy the image data untouched: no decoding, no new dependency. The
// EXIF orientation goes with the rest; the portal rotates before uploading.

export class ImageMetadataError extends Error {
  readonly code = 'IMAGE_DAMAGED';
  constructor(message: string) {
    super(message);
    this.name = 'ImageMetadataError';
  }
}

// --- JPEG: a sequence of marker segments (0xFF, marker, 2-byte length incl. itself), then after SOS the entropy-coded data.

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP0 = 0xe0;
const APP2 = 0xe2;
const APP14 = 0xee;

/** Segments needed to decode: frame headers (SOF0–15 but DHT/JPG/DAC, which are kept too), tables, restart interval, line count. */
function keepsJpegSegment(marker: number, payload: Buffer): boolean {
  if (marker >= 0xc0 && marker <= 0xcf) return true; // SOFn, DHT, JPG, DAC
  if (marker === 0xdb || marker === 0xdd || marker === 0xdc) return true; // DQT, DRI, DNL
  // APPn: only the JFIF header, the ICC colour profile and Adobe's colour transform.
  if (marker === APP0) return payload.subarray(0, 5).equals(Buffer.from('JFIF\0', 'latin1'));
  if (marker === APP2) return payload.subarray(0, 12).equals(Buffer.from('ICC_PROFILE\0', 'latin1'));
  if (marker === APP14) return payload.subarray(0, 5).equals(Buffer.from('Adobe', 'latin1'));
  return false; // APP1 (EXIF, XMP), APP13 (IPTC), COM, and anything else
}

/** Offset just past the entropy-coded data that starts at `from` (the next marker that is not a stuffed byte or a restart). */
function endOfScan(buf: Buffer, from: number): number {
  for (let i = from; i < buf.length - 1; i++) {
    if (buf[i] !== 0xff) continue;
    const next = buf[i + 1]!;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) continue;
    return i;
  }
  throw new ImageMetadataError('JPEG scan data without an end');
}

export function stripJpegMetadata(buf: Buffer): Buffer {
  if (buf.length < 4 || buf[0] !== 0xff || buf[1] !== SOI) throw new ImageMetadataError('Not a JPEG');
  const out: Buffer[] = [buf.subarray(0, 2)];
  let i = 2;
  let sawScan = false;
  for (;;) {
    // Markers may be preceded by any number of 0xFF fill bytes.
    if (buf[i] !== 0xff) throw new ImageMetadataError(`JPEG marker expected at ${i}`);
    while (buf[i] === 0xff) i++;
    if (i >= buf.length) throw new ImageMetadataError('JPEG ends inside a marker');
    const marker = buf[i]!;
    i++;
    if (marker === EOI) {
      if (!sawScan) throw new ImageMetadataError('JPEG without image data');
      // Whatever follows EOI (phones append thumbnails, depth maps, other files) is dropped.
      out.push(Buffer.from([0xff, EOI]));
      return Buffer.concat(out);
    }
    if (marker === SOI || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01)
      throw new ImageMetadataError('Unexpected standalone JPEG marker');
    if (i + 2 > buf.length) throw new ImageMetadataError('JPEG segment length missing');
    const length = buf.readUInt16BE(i);
    if (length < 2 || i + length > buf.length) throw new ImageMetadataError('JPEG segment overruns the file');
    const payload = buf.subarray(i + 2, i + length);
    const segmentEnd = i + length;
    if (marker === SOS) {
      const scanEnd = endOfScan(buf, segmentEnd);
      out.push(Buffer.from([0xff, marker]), buf.subarray(i, scanEnd));
      sawScan = true;
      i = scanEnd;
      continue;
    }
    if (keepsJpegSegment(marker, payload)) out.push(Buffer.from([0xff, marker]), buf.subarray(i, segmentEnd));
    i = segmentEnd;
    if (i >= buf.length) throw new ImageMetadataError('JPEG ends without EOI');
  }
}

// --- PNG: the signature, then chunks (4-byte length, 4-byte type, data, 4-byte CRC) up to IEND.

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Critical chunks and the ancillary ones that change how the picture looks; never tEXt, zTXt, iTXt, eXIf, tIME. */
const PNG_KEEP = new Set([
  'IHDR',
  'PLTE',
  'IDAT',
  'IEND',
  'tRNS',
  'gAMA',
  'cHRM',
  'sRGB',
  'iCCP',
  'sBIT',
  'bKGD',
  'pHYs',
  'acTL',
  'fcTL',
  'fdAT',
]);

export function stripPngMetadata(buf: Buffer): Buffer {
  if (!buf.subarray(0, 8).equals(PNG_SIGNATURE)) throw new ImageMetadataError('Not a PNG');
  const out: Buffer[] = [PNG_SIGNATURE];
  let i = 8;
  let first = true;
  while (i + 12 <= buf.length) {
    const length = buf.readUInt32BE(i);
    const type = buf.toString('latin1', i + 4, i + 8);
    const end = i + 12 + length;
    if (!/^[A-Za-z]{4}$/.test(type) || end > buf.length)
      throw new ImageMetadataError('PNG chunk overruns the file');
    if (first && type !== 'IHDR') throw new ImageMetadataError('PNG without IHDR');
    first = false;
    if (PNG_KEEP.has(type)) out.push(buf.subarray(i, end));
    // Whatever follows IEND is dropped.
    if (type === 'IEND') return Buffer.concat(out);
    i = end;
  }
  throw new ImageMetadataError('PNG ends without IEND');
}

export function stripImageMetadata(buf: Buffer, mime: 'image/jpeg' | 'image/png'): Buffer {
  return mime === 'image/jpeg' ? stripJpegMetadata(buf) : stripPngMetadata(buf);
}
