/**
 * Turns typed text into the letters the parser reads: a–z and the apostrophe separator.
 * Capitals are lowered, ü (and u with diaeresis from any keyboard) becomes v, tone marks
 * are stripped, and every other character is dropped. Never throws.
 */
export function normalizePinyin(input: string): string {
  let out = '';
  const folded = String(input).normalize('NFD');
  for (const ch of folded) {
    const c = ch.toLowerCase();
    if (c >= 'a' && c <= 'z') out += c;
    else if (c === "'" || c === '’') {
      if (out.length > 0 && !out.endsWith("'")) out += "'";
    } else if (c === '\u0308' && out.endsWith('u')) out = out.slice(0, -1) + 'v';
  }
  return out;
}
