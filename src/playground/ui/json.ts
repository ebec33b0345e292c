/** The JSON value of `text`, or `text` itself when it is not JSON (shown, or sent, as typed). */
export function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
