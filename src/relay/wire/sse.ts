// Server-sent events as text: parsing complete events (the relay hands over whole events only) and
// writing them back. `event:` names are kept; `data:` lines are joined and parsed as JSON when they are.
import type { Json, SseEvent } from "./codec";

/** The events in `text`, which holds only complete events ("\n\n" or "\r\n\r\n" separated). */
export function parseSse(text: string): SseEvent[] {
  const out: SseEvent[] = [];
  const lf = text.includes("\r") ? text.replace(/\r\n/g, "\n") : text; // Gemini ends events with CRLF
  for (const block of lf.split("\n\n")) {
    let event: string | undefined;
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("data:")) data.push(line.slice(line[5] === " " ? 6 : 5));
      else if (line.startsWith("event:")) event = line.slice(6).trim();
    }
    if (data.length === 0) continue;
    const raw = data.join("\n");
    let parsed: Json | string = raw;
    if (raw !== "[DONE]") {
      try {
        parsed = JSON.parse(raw);
      } catch {}
    }
    out.push(event === undefined ? { data: parsed } : { event, data: parsed });
  }
  return out;
}

/** One event as SSE text. */
export function formatSse(ev: SseEvent): string {
  const data = typeof ev.data === "string" ? ev.data : JSON.stringify(ev.data);
  return ev.event === undefined ? `data: ${data}\n\n` : `event: ${ev.event}\ndata: ${data}\n\n`;
}
