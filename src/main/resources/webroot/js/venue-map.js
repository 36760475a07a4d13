// The seat map as a venue: a stage at the top, sections fanned out around it in arcs (tiers of up to five,
// row 1 nearest the stage), drawn on one canvas with zoom and pan. Pure drawing and geometry: it knows
// nothing about the network; the page tells it each seat's kind (available, held, mine, sold).

const PITCH = 10;            // world units per seat (one seat square plus its gap)
const STAGE_W = 900, STAGE_H = 120, FIRST_RADIUS_MIN = 520, TIER_GAP = 70, SECTION_GAP = 40;
const MAX_TIER_SPAN = 2.4;   // radians a tier may fan over (about 140°)
const MIN_SCALE_SEAT_PX = 1.2, MAX_SCALE_SEAT_PX = 48;

// Same values as app.css; every kind also gets its own pattern so the map reads without colour.
export const COLORS = {
  available: '#1a7f37', held: '#c2570c', hatch: '#2b1400', mine: '#1d4ed8', dot: '#ffffff',
  sold: '#262626', cross: '#d4d4d4', focus: '#c2185b', label: '#1b1b1b', stage: '#3b3b3b', row: '#555555',
};
export const KIND = { AVAILABLE: 0, HELD: 1, MINE: 2, SOLD: 3 };
// Available seats take their price category's colour (legend order); held, yours and sold keep theirs.
export const CATEGORY_COLORS = ['#1a7f37', '#0f766e', '#7e22ce', '#4d7c0f', '#a21caf', '#92400e', '#0e7490', '#9f1239'];
const STANDING_COLS = 50; // a standing area's unnumbered places are drawn as a block of this width

export class VenueMap {
  constructor(canvas, { kindOf, onViewChange } = {}) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.kindOf = kindOf || (() => 0);
    this.onViewChange = onViewChange || (() => {});
    this.sections = [];
    this.seatSec = new Int32Array(1);
    this.seatRow = new Int32Array(1);
    this.seatNum = new Int32Array(1);
    this.seatLabel = [];
    this.seatCat = new Int16Array(1);
    this.seatPrice = new Float64Array(1);
    this.categoryIds = []; // category ids in order of first appearance in the layout
    this.bounds = { x0: 0, y0: 0, x1: 1, y1: 1 };
    this.stage = { x: -STAGE_W / 2, y: -STAGE_H, w: STAGE_W, h: STAGE_H };
    this.view = { scale: 1, x: 0, y: 0 }; // screen = world * scale + (x, y), in CSS pixels
    this.width = 300; this.height = 300;
    this.focusId = 0;
    this.queued = false;
  }

  // ---- layout ----

  setLayout(seats) {
    let maxId = 0;
    for (const s of seats) if (s.id > maxId) maxId = s.id;
    const n = maxId + 1;
    this.seatSec = new Int32Array(n).fill(-1);
    this.seatRow = new Int32Array(n);
    this.seatNum = new Int32Array(n);
    this.seatLabel = new Array(n);
    this.seatCat = new Int16Array(n);
    this.seatPrice = new Float64Array(n);
    this.categoryIds = [];
    const catIndex = new Map();
    const byName = new Map();
    this.sections = [];
    for (const s of seats) {
      let sec = byName.get(s.section);
      if (!sec) {
        sec = { name: String(s.section), index: this.sections.length, rows: 0, cols: 0, ids: [], standing: Boolean(s.standing), places: 0 };
        byName.set(s.section, sec);
        this.sections.push(sec);
      }
      const cat = s.category == null ? '' : String(s.category);
      if (!catIndex.has(cat)) { catIndex.set(cat, this.categoryIds.length); this.categoryIds.push(cat); }
      this.seatCat[s.id] = catIndex.get(cat);
      this.seatPrice[s.id] = Number(s.price) || 0;
      // A standing place has no row or number: it gets a cell in a block, only to be drawn and focused.
      const k = sec.standing ? sec.places++ : 0;
      const row = sec.standing ? Math.floor(k / STANDING_COLS) + 1 : Math.max(1, s.row | 0);
      const num = sec.standing ? (k % STANDING_COLS) + 1 : Math.max(1, s.number | 0);
      sec.rows = Math.max(sec.rows, row);
      sec.cols = Math.max(sec.cols, num);
      sec.ids.push(s.id);
      this.seatLabel[s.id] = s.label || `${s.section}-${row}-${num}`;
      this.seatSec[s.id] = sec.index; this.seatRow[s.id] = row; this.seatNum[s.id] = num;
    }
    for (const sec of this.sections) {
      sec.grid = new Int32Array(sec.rows * sec.cols);
      for (const id of sec.ids) sec.grid[(this.seatRow[id] - 1) * sec.cols + this.seatNum[id] - 1] = id;
      delete sec.ids;
      sec.w = sec.cols * PITCH; sec.h = sec.rows * PITCH;
    }
    this.#placeSections();
    this.fit();
  }

  // Tiers of up to five sections on arcs around the stage centre (0, 0); a section's front edge (row 1)
  // faces the stage. Each tier's radius is large enough for its sections to fit side by side.
  #placeSections() {
    const n = this.sections.length;
    const tiers = Math.max(1, Math.ceil(n / 5)), perTier = Math.ceil(n / tiers);
    let radius = FIRST_RADIUS_MIN;
    let x0 = 0, x1 = 0, y0 = Infinity, y1 = 0, frontY = Infinity;
    for (let t = 0; t < tiers; t++) {
      const tier = this.sections.slice(t * perTier, (t + 1) * perTier);
      if (!tier.length) break;
      const arc = tier.reduce((a, s) => a + s.w + SECTION_GAP, -SECTION_GAP);
      radius = Math.max(radius, arc / MAX_TIER_SPAN);
      let phi = -arc / radius / 2; // leftmost edge angle, measured from straight down
      for (const sec of tier) {
        const half = (sec.w / 2) / radius;
        phi += half;
        sec.phi = phi;
        sec.cos = Math.cos(-phi); sec.sin = Math.sin(-phi);
        sec.ox = radius * Math.sin(phi); sec.oy = radius * Math.cos(phi); // front-centre of the section
        phi += half + SECTION_GAP / radius;
        if (t === 0) frontY = Math.min(frontY, sec.oy);
        for (const [lx, ly] of [[-sec.w / 2, 0], [sec.w / 2, 0], [-sec.w / 2, sec.h], [sec.w / 2, sec.h]]) {
          const [wx, wy] = this.#toWorld(sec, lx, ly);
          x0 = Math.min(x0, wx); x1 = Math.max(x1, wx); y0 = Math.min(y0, wy); y1 = Math.max(y1, wy);
        }
        sec.cx = this.#toWorld(sec, 0, sec.h / 2); // centre, for culling and labels
        sec.r = Math.hypot(sec.w, sec.h) / 2;
      }
      radius += Math.max(...tier.map((s) => s.h)) + TIER_GAP;
    }
    // The stage sits in the mouth of the first tier rather than at the arcs' far-away centre.
    const stageBottom = Number.isFinite(frontY) ? Math.max(0, frontY - 160) : 0;
    this.stage = { x: -STAGE_W / 2, y: stageBottom - STAGE_H, w: STAGE_W, h: STAGE_H };
    x0 = Math.min(x0, this.stage.x); x1 = Math.max(x1, this.stage.x + STAGE_W); y0 = Math.min(y0, this.stage.y);
    const m = 30;
    this.bounds = { x0: x0 - m, y0: y0 - m, x1: x1 + m, y1: y1 + m };
  }

  #toWorld(sec, lx, ly) {
    return [sec.ox + lx * sec.cos - ly * sec.sin, sec.oy + lx * sec.sin + ly * sec.cos];
  }
  #toLocal(sec, wx, wy) {
    const dx = wx - sec.ox, dy = wy - sec.oy;
    return [dx * sec.cos + dy * sec.sin, -dx * sec.sin + dy * sec.cos];
  }

  known(id) { return Number.isInteger(id) && id > 0 && id < this.seatSec.length && this.seatSec[id] >= 0; }
  section(id) { return this.sections[this.seatSec[id]]; }
  info(id) {
    const sec = this.section(id);
    return { label: this.seatLabel[id], section: sec.name, row: this.seatRow[id], number: this.seatNum[id],
      standing: sec.standing, category: this.categoryIds[this.seatCat[id]], price: this.seatPrice[id] };
  }
  /** The colour of the category at `index` in the event's categories (the legend uses the same). */
  static categoryColor(index) {
    return CATEGORY_COLORS[((index % CATEGORY_COLORS.length) + CATEGORY_COLORS.length) % CATEGORY_COLORS.length];
  }
  /** Colours available seats by the event's category order, so the legend and the map agree. */
  setCategoryOrder(ids) {
    this.categoryColors = this.categoryIds.map((c) => VenueMap.categoryColor(Math.max(0, ids.indexOf(c))));
    this.invalidate();
  }
  seatIds() {
    const out = [];
    for (let id = 1; id < this.seatSec.length; id++) if (this.seatSec[id] >= 0) out.push(id);
    return out;
  }

  // ---- view ----

  /** Seat size on screen in CSS pixels. */
  get seatPx() { return this.view.scale * PITCH; }

  resize(width, height) {
    const dpr = window.devicePixelRatio || 1;
    const keepCentre = this.width > 0 && this.sections.length;
    const cx = (this.width / 2 - this.view.x) / this.view.scale, cy = (this.height / 2 - this.view.y) / this.view.scale;
    this.width = Math.max(50, Math.floor(width)); this.height = Math.max(50, Math.floor(height));
    this.canvas.style.width = `${this.width}px`; this.canvas.style.height = `${this.height}px`;
    this.canvas.width = Math.round(this.width * dpr); this.canvas.height = Math.round(this.height * dpr);
    this.dpr = dpr;
    if (this.fitted || !keepCentre) this.fit();
    else this.#centreOn(cx, cy, this.view.scale);
  }

  #fitScale() {
    const b = this.bounds;
    return Math.min(this.width / (b.x1 - b.x0), this.height / (b.y1 - b.y0));
  }
  #clampScale(s) {
    return Math.min(MAX_SCALE_SEAT_PX / PITCH, Math.max(Math.min(this.#fitScale(), MIN_SCALE_SEAT_PX / PITCH), s));
  }

  fit() {
    const b = this.bounds;
    this.#centreOn((b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2, this.#fitScale());
    this.fitted = true;
  }

  #centreOn(wx, wy, scale) {
    this.view.scale = scale;
    this.view.x = this.width / 2 - wx * scale;
    this.view.y = this.height / 2 - wy * scale;
    this.#clampPan();
    this.fitted = false;
    this.invalidate();
    this.onViewChange(this.view);
  }

  // Keeps at least part of the venue on screen, so a fling cannot lose the map.
  #clampPan() {
    const b = this.bounds, s = this.view.scale, keep = 60;
    this.view.x = Math.min(this.width - keep - b.x0 * s, Math.max(keep - b.x1 * s, this.view.x));
    this.view.y = Math.min(this.height - keep - b.y0 * s, Math.max(keep - b.y1 * s, this.view.y));
  }

  /** Zooms by `factor` keeping the screen point (sx, sy) (default: the centre) where it is. */
  zoomBy(factor, sx = this.width / 2, sy = this.height / 2) {
    const s0 = this.view.scale, s1 = this.#clampScale(s0 * factor);
    if (s1 === s0) return;
    this.view.x = sx - ((sx - this.view.x) / s0) * s1;
    this.view.y = sy - ((sy - this.view.y) / s0) * s1;
    this.view.scale = s1;
    this.#clampPan();
    this.fitted = false;
    this.invalidate();
    this.onViewChange(this.view);
  }

  panBy(dx, dy) {
    this.view.x += dx; this.view.y += dy;
    this.#clampPan();
    this.fitted = false;
    this.invalidate();
    this.onViewChange(this.view);
  }

  /** Makes the seats visible at a comfortable size (at least `minPx` per seat), panning only if needed. */
  reveal(ids, minPx = 18) {
    const list = [].concat(ids).filter((id) => this.known(id));
    if (!list.length) return;
    const pts = list.map((id) => this.#seatWorld(id));
    const wx = pts.reduce((a, p) => a + p[0], 0) / pts.length, wy = pts.reduce((a, p) => a + p[1], 0) / pts.length;
    const scale = Math.max(this.view.scale, this.#clampScale(minPx / PITCH));
    const visible = pts.every(([x, y]) => {
      const sx = x * scale + this.view.x, sy = y * scale + this.view.y;
      return sx > 30 && sy > 30 && sx < this.width - 30 && sy < this.height - 30;
    });
    if (scale === this.view.scale && visible) return;
    this.#centreOn(wx, wy, scale);
  }

  #seatWorld(id) {
    const sec = this.section(id);
    return this.#toWorld(sec, -sec.w / 2 + (this.seatNum[id] - 0.5) * PITCH, (this.seatRow[id] - 0.5) * PITCH);
  }

  /** Centre and size of a seat in canvas CSS pixels (may be outside the canvas). */
  seatScreen(id) {
    if (!this.known(id)) return null;
    const [wx, wy] = this.#seatWorld(id);
    return { x: wx * this.view.scale + this.view.x, y: wy * this.view.scale + this.view.y, size: this.seatPx };
  }

  /** The seat under canvas CSS pixel (sx, sy), or 0. */
  seatAt(sx, sy) {
    const wx = (sx - this.view.x) / this.view.scale, wy = (sy - this.view.y) / this.view.scale;
    for (const sec of this.sections) {
      const [lx, ly] = this.#toLocal(sec, wx, wy);
      const col = Math.floor((lx + sec.w / 2) / PITCH), row = Math.floor(ly / PITCH);
      if (col >= 0 && col < sec.cols && row >= 0 && row < sec.rows) return sec.grid[row * sec.cols + col];
    }
    return 0;
  }

  /** Moves within a section's grid; left/right past its edge continue in the previous/next section. */
  neighbour(id, dRow, dCol) {
    let sec = this.section(id);
    let r = this.seatRow[id] - 1, c = this.seatNum[id] - 1;
    for (let step = 0; step < 1000; step++) { // skips holes in ragged layouts
      r += dRow; c += dCol;
      if (c < 0 || c >= sec.cols) {
        sec = this.sections[sec.index + dCol];
        if (!sec) return id;
        c = dCol > 0 ? 0 : sec.cols - 1;
        r = Math.min(r, sec.rows - 1);
      }
      if (r < 0 || r >= sec.rows) return id;
      const hit = sec.grid[r * sec.cols + c];
      if (hit) return hit;
    }
    return id;
  }

  // ---- drawing: everything is repainted in one animation frame; a 10,000-seat frame is a few paths ----

  invalidate() {
    if (this.queued) return;
    this.queued = true;
    requestAnimationFrame(() => { this.queued = false; this.paint(); });
  }

  paint() {
    const { ctx, view } = this, dpr = this.dpr || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, this.width, this.height);
    ctx.setTransform(dpr * view.scale, 0, 0, dpr * view.scale, dpr * view.x, dpr * view.y);
    const px = 1 / view.scale; // one CSS pixel in world units

    // The stage.
    ctx.fillStyle = COLORS.stage;
    const st = this.stage;
    roundRect(ctx, st.x, st.y, st.w, st.h, 24);
    ctx.fill();
    ctx.fillStyle = '#ffffff';
    ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
    ctx.font = `600 ${Math.max(14 * px, 44)}px system-ui, sans-serif`;
    ctx.fillText('STAGE', 0, st.y + st.h / 2);

    const vx0 = -view.x / view.scale, vy0 = -view.y / view.scale;
    const vx1 = vx0 + this.width / view.scale, vy1 = vy0 + this.height / view.scale;
    const seatPx = this.seatPx;
    for (const sec of this.sections) {
      const [cx, cy] = sec.cx;
      if (cx + sec.r < vx0 || cx - sec.r > vx1 || cy + sec.r < vy0 || cy - sec.r > vy1) continue; // off screen
      ctx.save();
      ctx.translate(sec.ox, sec.oy);
      ctx.rotate(-sec.phi);
      ctx.translate(-sec.w / 2, 0);
      this.#paintSection(sec, px, seatPx);
      ctx.restore();
    }
  }

  #paintSection(sec, px, seatPx) {
    const { ctx } = this;
    const inset = PITCH * (seatPx >= 10 ? 0.12 : 0.06), w = PITCH - 2 * inset;
    const groups = [[], [], [], []];
    const byCat = new Map(); // available seats by category: each category its colour
    for (let i = 0; i < sec.grid.length; i++) {
      const id = sec.grid[i];
      if (!id) continue;
      const k = this.kindOf(id);
      groups[k].push(i);
      if (k === 0) {
        const c = this.seatCat[id];
        if (!byCat.has(c)) byCat.set(c, []);
        byCat.get(c).push(i);
      }
    }
    const fills = [COLORS.available, COLORS.held, COLORS.mine, COLORS.sold];
    const at = (i) => [(i % sec.cols) * PITCH + inset, Math.floor(i / sec.cols) * PITCH + inset];
    const colors = this.categoryColors || [];
    byCat.forEach((list, c) => {
      ctx.fillStyle = colors[c] || COLORS.available;
      ctx.beginPath();
      for (const i of list) { const [x, y] = at(i); ctx.rect(x, y, w, w); }
      ctx.fill();
    });
    groups.forEach((list, k) => {
      if (!list.length || k === 0) return;
      ctx.fillStyle = fills[k];
      ctx.beginPath();
      for (const i of list) { const [x, y] = at(i); ctx.rect(x, y, w, w); }
      ctx.fill();
    });
    ctx.lineWidth = Math.max(px, w * 0.12);
    if (groups[1].length) { // held by others: "/" hatch
      ctx.strokeStyle = COLORS.hatch;
      ctx.beginPath();
      for (const i of groups[1]) {
        const [x, y] = at(i);
        ctx.moveTo(x, y + w / 2); ctx.lineTo(x + w / 2, y);
        ctx.moveTo(x, y + w); ctx.lineTo(x + w, y);
        ctx.moveTo(x + w / 2, y + w); ctx.lineTo(x + w, y + w / 2);
      }
      ctx.stroke();
    }
    if (groups[2].length) { // mine: white centre dot
      const d = w * 0.42, off = (w - d) / 2;
      ctx.fillStyle = COLORS.dot;
      ctx.beginPath();
      for (const i of groups[2]) { const [x, y] = at(i); ctx.rect(x + off, y + off, d, d); }
      ctx.fill();
    }
    if (groups[3].length) { // sold: light cross on dark
      ctx.strokeStyle = COLORS.cross;
      ctx.beginPath();
      for (const i of groups[3]) {
        const [x, y] = at(i);
        ctx.moveTo(x, y); ctx.lineTo(x + w, y + w);
        ctx.moveTo(x + w, y); ctx.lineTo(x, y + w);
      }
      ctx.stroke();
    }
    // Labels: the section name behind its last row; row numbers at both ends once rows are readable.
    ctx.fillStyle = COLORS.label;
    ctx.textAlign = 'center'; ctx.textBaseline = 'top';
    ctx.font = `700 ${Math.max(13 * px, 26)}px system-ui, sans-serif`;
    // A standing area is one zone: its name and the places left (available) instead of row numbers.
    ctx.fillText(sec.standing ? `${sec.name} (standing): ${groups[0].length} left` : `Section ${sec.name}`, sec.w / 2, sec.h + 6);
    if (seatPx >= 11 && !sec.standing) {
      ctx.fillStyle = COLORS.row;
      ctx.font = `${Math.min(PITCH * 0.8, 11 * px)}px system-ui, sans-serif`;
      ctx.textBaseline = 'middle';
      for (let r = 0; r < sec.rows; r++) {
        ctx.textAlign = 'right'; ctx.fillText(String(r + 1), -2, (r + 0.5) * PITCH);
        ctx.textAlign = 'left'; ctx.fillText(String(r + 1), sec.w + 2, (r + 0.5) * PITCH);
      }
    }
    if (this.focusId && this.seatSec[this.focusId] === sec.index) {
      const c = this.seatNum[this.focusId] - 1, r = this.seatRow[this.focusId] - 1;
      ctx.strokeStyle = COLORS.focus;
      ctx.lineWidth = Math.max(2 * px, PITCH * 0.15);
      ctx.strokeRect(c * PITCH, r * PITCH, PITCH, PITCH);
    }
  }
}

function roundRect(ctx, x, y, w, h, r) {
  ctx.beginPath();
  ctx.moveTo(x + r, y);
  ctx.arcTo(x + w, y, x + w, y + h, r);
  ctx.arcTo(x + w, y + h, x, y + h, r);
  ctx.arcTo(x, y + h, x, y, r);
  ctx.arcTo(x, y, x + w, y, r);
  ctx.closePath();
}
