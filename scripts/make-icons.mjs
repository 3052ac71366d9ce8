// Draws the app and tray icons into assets/ as PNGs (no image library needed): run after changing
// the design, commit the output. Tray icons: a ring (the proxy) with a state dot; template
// variants are black with alpha for the macOS menu bar.
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size, pixel) {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x + 0.5, y + 0.5, size);
      raw.set([r, g, b, a], y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
// Coverage of a soft-edged disc/ring, for antialiasing.
const cover = (d, r) => Math.max(0, Math.min(1, r - d + 0.5));
function trayPixel(color, template) {
  return (x, y, s) => {
    const c = s / 2;
    const d = Math.hypot(x - c, y - c);
    const ring = Math.min(cover(d, s * 0.44), 1 - cover(d, s * 0.3));
    const dot = cover(Math.hypot(x - s * 0.72, y - s * 0.72), s * 0.2);
    const fg = template ? [0, 0, 0] : [40, 44, 52];
    const a = Math.max(ring * (dot > 0 ? 1 - dot : 1), 0);
    if (dot > 0) {
      const [r, g, b] = template ? [0, 0, 0] : color;
      return [r, g, b, Math.round(255 * Math.max(dot, a))];
    }
    return [...fg, Math.round(255 * a)];
  };
}
const STATES = { running: [34, 160, 90], stopped: [140, 140, 140], error: [215, 58, 73] };
mkdirSync('assets', { recursive: true });
for (const [state, color] of Object.entries(STATES)) {
  for (const [suffix, size] of [
    ['', 16],
    ['@2x', 32],
  ]) {
    writeFileSync(`assets/tray-${state}${suffix}.png`, png(size, trayPixel(color, false)));
    writeFileSync(`assets/tray-${state}Template${suffix}.png`, png(size, trayPixel(color, true)));
  }
}
// The app icon: a rounded square with the ring.
const appPixel = (x, y, s) => {
  const m = s * 0.08;
  const r = s * 0.2;
  const qx = Math.max(Math.abs(x - s / 2) - (s / 2 - m - r), 0);
  const qy = Math.max(Math.abs(y - s / 2) - (s / 2 - m - r), 0);
  const inside = cover(Math.hypot(qx, qy), r);
  const d = Math.hypot(x - s / 2, y - s / 2);
  const ring = Math.min(cover(d, s * 0.3), 1 - cover(d, s * 0.2));
  const shade = [32 + 30 * ring, 90 + 140 * ring, 200 + 55 * ring].map(Math.round);
  return [...shade, Math.round(255 * inside)];
};
writeFileSync('assets/icon.png', png(512, appPixel));
console.error('icons written to assets/');
