// A small sRGB ICC profile (version 2, display class), built from the
// constants of IEC 61966-2-1 adapted to D50 as ICC.1 requires. PDF/A-3 asks
// for an output intent with an embedded profile whenever a page paints in
// DeviceRGB or DeviceGray; this one is 1 KB instead of the usual 3 KB file
// and comes with no licence question.

const enc = new TextEncoder();

class Writer {
  private parts: number[] = [];
  get length() {
    return this.parts.length;
  }
  u8(...v: number[]) {
    this.parts.push(...v.map((x) => x & 0xff));
  }
  u16(v: number) {
    this.u8(v >> 8, v);
  }
  u32(v: number) {
    this.u8(v >>> 24, v >>> 16, v >>> 8, v);
  }
  ascii(s: string) {
    this.u8(...enc.encode(s));
  }
  /** s15Fixed16Number */
  fixed(v: number) {
    this.u32(Math.round(v * 65536) >>> 0);
  }
  pad4() {
    while (this.parts.length % 4) this.u8(0);
  }
  bytes() {
    return Uint8Array.from(this.parts);
  }
}

function xyzTag(x: number, y: number, z: number): Uint8Array {
  const w = new Writer();
  w.ascii('XYZ ');
  w.u32(0);
  w.fixed(x);
  w.fixed(y);
  w.fixed(z);
  return w.bytes();
}

function textDescription(s: string): Uint8Array {
  const w = new Writer();
  w.ascii('desc');
  w.u32(0);
  w.u32(s.length + 1);
  w.ascii(s);
  w.u8(0);
  w.u32(0); // Unicode language code
  w.u32(0); // Unicode count
  w.u16(0); // ScriptCode code
  w.u8(0); // ScriptCode count
  for (let i = 0; i < 67; i++) w.u8(0);
  return w.bytes();
}

function text(s: string): Uint8Array {
  const w = new Writer();
  w.ascii('text');
  w.u32(0);
  w.ascii(s);
  w.u8(0);
  return w.bytes();
}

/** The sRGB transfer curve, sampled: linear near black, then the 2.4 power. */
function srgbCurve(points = 256): Uint8Array {
  const w = new Writer();
  w.ascii('curv');
  w.u32(0);
  w.u32(points);
  for (let i = 0; i < points; i++) {
    const v = i / (points - 1);
    const lin = v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    w.u16(Math.round(lin * 65535));
  }
  return w.bytes();
}

export function srgbIccProfile(): Uint8Array {
  const curve = srgbCurve();
  // Bradford-adapted sRGB primaries (D65 → D50) and the D50 white.
  const tags: Array<[string, Uint8Array]> = [
    ['desc', textDescription('sRGB IEC61966-2.1 (Vigie)')],
    ['cprt', text('No copyright, use freely')],
    ['wtpt', xyzTag(0.9642, 1.0, 0.8249)],
    ['rXYZ', xyzTag(0.4361, 0.2225, 0.0139)],
    ['gXYZ', xyzTag(0.3851, 0.7169, 0.0971)],
    ['bXYZ', xyzTag(0.1431, 0.0606, 0.7141)],
    ['rTRC', curve],
    ['gTRC', curve],
    ['bTRC', curve],
  ];
  // The three curves share one copy of the data, as profiles usually do.
  const headerAndTable = 128 + 4 + tags.length * 12;
  const body = new Writer();
  const placed = new Map<Uint8Array, number>();
  const table: Array<[string, number, number]> = [];
  for (const [sig, data] of tags) {
    let offset = placed.get(data);
    if (offset === undefined) {
      offset = headerAndTable + body.length;
      placed.set(data, offset);
      body.u8(...data);
      body.pad4();
    }
    table.push([sig, offset, data.length]);
  }
  const size = headerAndTable + body.length;
  const w = new Writer();
  w.u32(size);
  w.u32(0); // preferred CMM
  w.u32(0x02100000); // version 2.1
  w.ascii('mntr');
  w.ascii('RGB ');
  w.ascii('XYZ ');
  for (const v of [2026, 1, 1, 0, 0, 0]) w.u16(v); // creation date
  w.ascii('acsp');
  w.u32(0); // platform
  w.u32(0); // flags
  w.u32(0); // manufacturer
  w.u32(0); // model
  w.u32(0);
  w.u32(0); // attributes
  w.u32(0); // perceptual intent
  w.fixed(0.9642);
  w.fixed(1.0);
  w.fixed(0.8249);
  w.u32(0); // creator
  for (let i = 0; i < 16 + 28; i++) w.u8(0); // profile id, reserved
  w.u32(tags.length);
  for (const [sig, offset, len] of table) {
    w.ascii(sig);
    w.u32(offset);
    w.u32(len);
  }
  const out = new Uint8Array(size);
  out.set(w.bytes(), 0);
  out.set(body.bytes(), headerAndTable);
  return out;
}
