import { compile } from 'html-to-text';

/**
 * What an agent should read of one email: its own words, without the quoted history or the signature.
 *
 * HTML is turned into text with html-to-text, dropping what mail clients mark as quoted or as a
 * signature (`<blockquote>`, Gmail's `gmail_quote` / `gmail_signature`, Yahoo's `yahoo_quoted`, Outlook's
 * `Signature` block), images and link targets. Then a line heuristic, for Spanish and English mail:
 *
 * - the text is cut at the first reply header: "El … escribió:" / "On … wrote:" (on one or two lines),
 *   "-----Mensaje original-----" / "-----Original Message-----", or an Outlook header block (a line
 *   "De:" / "From:" followed within three lines by "Enviado:" / "Sent:" / "Fecha:" / "Date:");
 * - lines quoted with `>` are dropped;
 * - the signature is cut: from a `--` line, or a mobile footer ("Enviado desde mi iPhone", "Sent from
 *   my …", "Get Outlook for …"), and after a closing ("Saludos", "Saludos cordiales", "Un saludo",
 *   "Atentamente", "Cordialmente", "Best regards", "Kind regards", "Regards", "Best wishes", "Cheers")
 *   found among the last six non-empty lines and followed only by short lines (name, title, phone);
 *   the closing itself is kept.
 *
 * "Gracias" / "Thanks" are not treated as closings: they are often part of the message.
 * Forwarded messages ("---------- Mensaje reenviado ----------") are kept: there the quote is the content.
 */
export function emailText(body: string, isHtml: boolean): string {
  const text = isHtml ? htmlToText(body) : body.replace(/\r\n?/g, '\n');
  return tidy(cutSignature(cutQuotedReply(text.split('\n'))));
}

const htmlToText = compile({
  wordwrap: false,
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'blockquote', format: 'skip' },
    { selector: '.gmail_quote', format: 'skip' },
    { selector: '.gmail_signature', format: 'skip' },
    { selector: '.yahoo_quoted', format: 'skip' },
    { selector: '#Signature', format: 'skip' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
  ],
});

const REPLY_HEADER = /^\s*(?:El|On)\s.{0,300}\s(?:escribió|wrote)\s*:\s*$/i;
const REPLY_HEADER_START = /^\s*(?:El|On)\s/i;
const REPLY_HEADER_END = /(?:^|\s)(?:escribió|wrote)\s*:\s*$/i;
const ORIGINAL_MESSAGE = /^\s*-{2,}\s*(?:Mensaje original|Original Message)\s*-{2,}\s*$/i;
const HEADER_FROM = /^\s*\*?(?:De|From)\s*:/i;
const HEADER_SENT = /^\s*\*?(?:Enviado(?: el)?|Sent|Fecha|Date)\s*:/i;
const QUOTED = /^\s*>/;

function isReplyHeader(lines: readonly string[], i: number): boolean {
  const line = lines[i] as string;
  if (REPLY_HEADER.test(line) || ORIGINAL_MESSAGE.test(line)) return true;
  // Clients wrap a long header: "El lun, 3 jun 2024 a las 10:00, Ana <ana@x.com>" / "escribió:".
  if (REPLY_HEADER_START.test(line) && line.length <= 300 && REPLY_HEADER_END.test(lines[i + 1] ?? '')) return true;
  if (HEADER_FROM.test(line)) {
    for (let j = i + 1; j <= i + 3 && j < lines.length; j++) if (HEADER_SENT.test(lines[j] as string)) return true;
  }
  return false;
}

/** The lines before the first reply header, without `>`-quoted lines. */
function cutQuotedReply(lines: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (isReplyHeader(lines, i)) break;
    if (!QUOTED.test(lines[i] as string)) kept.push(lines[i] as string);
  }
  // Outlook puts a rule (underscores, or an <hr> rendered as dashes) above its header block.
  while (kept.length && /^\s*(?:[-_=]{10,})?\s*$/.test(kept[kept.length - 1] as string)) kept.pop();
  return kept;
}

const SIGNATURE_MARK = /^(?:--\s*|\s*(?:Enviado desde|Sent from|Get Outlook for|Obtener Outlook para|Descargar Outlook para)\b.*)$/i;
const CLOSING = /^\s*(?:saludos(?: cordiales)?|un saludo(?: cordial)?|atentamente|cordialmente|best regards|kind regards|warm regards|regards|best wishes|cheers)\s*[,.!]*\s*$/i;
const CLOSING_WINDOW = 6;
const SIGNATURE_LINE_MAX = 80;

function cutSignature(lines: string[]): string[] {
  const mark = lines.findIndex((l) => SIGNATURE_MARK.test(l));
  const body = mark >= 0 ? lines.slice(0, mark) : lines;
  const nonEmpty = body.map((l, i) => [l, i] as const).filter(([l]) => l.trim() !== '');
  for (const [line, i] of nonEmpty.slice(-CLOSING_WINDOW)) {
    if (CLOSING.test(line) && body.slice(i + 1).every((l) => l.length <= SIGNATURE_LINE_MAX)) return body.slice(0, i + 1);
  }
  return body;
}

/** Trims line ends and the whole, and keeps at most one blank line between paragraphs. */
function tidy(lines: readonly string[]): string {
  return lines
    .map((l) => l.replace(/[ \t\u00a0]+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
