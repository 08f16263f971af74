/**
 * A small text diff (Myers' O(ND) algorithm) over tokens — runs of letters and
 * digits, or single other characters — so a signing-string diff reads as
 * whole names and values: `\/` against `/`, `\u6d4b` against `测`, a moved
 * `RANDSTR=…` pair.
 */
export interface DiffPart {
  /** `=` in both, `-` only in the first text, `+` only in the second. */
  op: '=' | '-' | '+';
  text: string;
}

/** Past this many tokens on both sides, the diff is by lines' worth of whole text (still correct, less fine). */
const MAX_TOKENS = 20_000;

export function tokens(text: string): string[] {
  return text.match(/[A-Za-z0-9_]+|[\s\S]/gu) ?? [];
}

export function diffText(before: string, after: string): DiffPart[] {
  if (before === after) return before ? [{ op: '=', text: before }] : [];
  let a = tokens(before);
  let b = tokens(after);
  if (a.length + b.length > MAX_TOKENS) {
    a = [before];
    b = [after];
  }
  return merge(myers(a, b));
}

function myers(a: string[], b: string[]): DiffPart[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max;
  let v: Int32Array = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)) x = v[offset + k + 1]!;
      else x = v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
    if (found) trace.push(v.slice());
  }
  // Walk back through the trace to recover the edit script.
  const parts: DiffPart[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 2; d >= 0; d--) {
    v = trace[d]!;
    const k = x - y;
    let prevK: number;
    if (k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)) prevK = k + 1;
    else prevK = k - 1;
    const prevX = v[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      parts.push({ op: '=', text: a[x - 1]! });
      x--;
      y--;
    }
    if (d > 0) {
      if (x === prevX) parts.push({ op: '+', text: b[y - 1]! });
      else parts.push({ op: '-', text: a[x - 1]! });
    }
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    parts.push({ op: '=', text: a[x - 1]! });
    x--;
    y--;
  }
  return parts.reverse();
}

/** Joins neighbouring parts of the same kind, and puts each run of deletions before its run of insertions. */
function merge(parts: DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  let removed = '';
  let added = '';
  const flush = () => {
    if (removed) out.push({ op: '-', text: removed });
    if (added) out.push({ op: '+', text: added });
    removed = '';
    added = '';
  };
  for (const part of parts) {
    if (part.op === '-') removed += part.text;
    else if (part.op === '+') added += part.text;
    else {
      flush();
      const last = out.at(-1);
      if (last?.op === '=') last.text += part.text;
      else out.push({ ...part });
    }
  }
  flush();
  return out;
}
