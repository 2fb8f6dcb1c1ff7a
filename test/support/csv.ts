// Test support: reads the console's CSV downloads back (RFC 4180, enough for the exports: quoted fields
// with doubled quotes, CRLF line ends).
export function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      out.push(row);
      (row = []), (field = ""), i++;
    } else field += c;
  }
  return out;
}
