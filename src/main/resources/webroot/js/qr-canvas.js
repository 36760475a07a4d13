// Draws a QR code onto a canvas with the vendored qrcode-generator (vendor/qrcode-generator.mjs): no network,
// no data: URLs (a strict CSP's img-src need not allow them), crisp modules at any device pixel ratio.
import qrcode from '../vendor/qrcode-generator.mjs';

/**
 * qrCanvas(text, { moduleSize, quiet, level }) → a <canvas> showing `text` as a QR code: the smallest version
 * that fits at error correction `level` (M survives a scuffed phone screen), `quiet` modules of white border
 * (the standard asks for 4), `moduleSize` CSS pixels per module.
 */
export function qrCanvas(text, { moduleSize = 4, quiet = 4, level = 'M' } = {}) {
  const qr = qrcode(0, level);
  qr.addData(text, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  const side = (n + 2 * quiet) * moduleSize;
  const ratio = Math.max(1, Math.round(globalThis.devicePixelRatio || 1));
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = side * ratio;
  canvas.style.width = canvas.style.height = `${side}px`;
  const g = canvas.getContext('2d');
  g.fillStyle = '#fff';
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.fillStyle = '#000';
  const m = moduleSize * ratio;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (qr.isDark(r, c)) g.fillRect((c + quiet) * m, (r + quiet) * m, m, m);
    }
  }
  canvas.dataset.modules = String(n);
  return canvas;
}
