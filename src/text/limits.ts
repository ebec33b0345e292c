/**
 * How many items a user asked for, read from what they said to the agent ("dame los últimos 3
 * tickets", "show me ten cases", "top 5"). Pure: no I/O.
 */

/** Largest number read as a count: anything larger is an id, an amount or a year. */
const MAX_COUNT = 100;

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  uno: 1, una: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, nueve: 9, diez: 10,
  once: 11, doce: 12, trece: 13, catorce: 14, quince: 15, dieciseis: 16, diecisiete: 17, dieciocho: 18,
  diecinueve: 19, veinte: 20,
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11,
  twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18,
  nineteen: 19, twenty: 20,
};

const words = (list: string): ReadonlySet<string> => new Set(list.split(' '));

/** Things people count in a customer-service conversation: "3 tickets", "diez casos". */
const COUNTABLE = words(
  'ticket tickets caso casos case cases contacto contactos contact contacts cliente clientes customer customers ' +
    'item items elemento elementos resultado resultados result results registro registros record records ' +
    'solicitud solicitudes request requests incidencia incidencias incidente incidentes incident incidents ' +
    'propietario propietarios owner owners agente agentes agent agents correo correos email emails mensaje mensajes ' +
    'message messages llamada llamadas call calls conversacion conversaciones conversation conversations reclamo ' +
    'reclamos queja quejas complaint complaints issue issues tarea tareas task tasks fila filas row rows entrada ' +
    'entradas entry entries orden ordenes order orders pedido pedidos',
);

/** Words that may sit between the number and what is counted: "3 most recent tickets", "5 últimos casos". */
const FILLERS = words(
  'mas most more ultimo ultimos ultima ultimas reciente recientes recent latest newest nuevo nuevos nueva nuevas new ' +
    'abierto abiertos abierta abiertas open cerrado cerrados cerrada cerradas closed pendiente pendientes pending ' +
    'primero primeros primera primeras first last old oldest antiguo antiguos antiguas',
);

/** Fillers that make a number a count on their own: "the 2 most recent", "los 5 últimos". */
const RECENCY = words('ultimos ultimas recientes recent latest newest primeros primeras first last oldest antiguos antiguas');

/** Right before a number, these make it a count: "top 5", "últimos 3", "last 10". */
const STRONG_BEFORE = words('top ultimos ultimas last latest first primeros primeras recientes');

/** Verbs that ask for a number of things: "dame 3", "show me 4", "trae 2". */
const ASKING_BEFORE = words('dame damelos damelas muestrame ensename traeme trae me lista listame list get fetch mostrar ver see quiero want');

/** Units that make a number a quantity of something other than items: "últimos 7 días", "3 veces". */
const UNITS = words(
  'dia dias day days semana semanas week weeks mes meses month months ano anos year years hora horas hour hours ' +
    'minuto minutos minute minutes segundo segundos second seconds am pm h hrs vez veces time times porciento ' +
    'percent dolar dolares dollar dollars usd colon colones euro euros',
);

const MONTHS =
  'enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|' +
  'january|february|march|april|may|june|july|august|september|october|november|december|' +
  'ene|feb|mar|abr|jun|jul|ago|sep|sept|set|oct|nov|dic|dec|jan|apr|aug';

/**
 * Spans that hold numbers which are never counts, blanked before reading: dates (12/03/2025,
 * 2025-03-12, "3 de marzo", "march 3rd"), times (3:30, "a las 3", "3 pm"), ids ("ticket 45", "#45",
 * "id 45", "número 45"), decimals, ordinals, amounts and percentages.
 * Linear: a `\d+` never starts inside a digit run (`(?<!\d)`), and no two `\s*` meet without a character between.
 */
const NOT_COUNTS: readonly RegExp[] = [
  /\d{1,4}[/.-]\d{1,2}(?:[/.-]\d{1,4})?/g,
  /\d{1,2}:\d{2}(?::\d{2})?/g,
  new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th|ro|do|er|vo|to|no|mo)?\\s+(?:de\\s+|of\\s+)?(?:${MONTHS})\\b`, 'g'),
  new RegExp(`\\b(?:${MONTHS})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?\\b`, 'g'),
  /\b(?:a\s+las?|at|desde\s+las?|hasta\s+las?)\s+\d{1,2}\b/g,
  /(?:#|\bn[°ºo]\.?|\bnum(?:ero)?\.?|\bno\.|\bid|\bticket|\bcaso|\bcase|\bcontacto|\bcontact|\bowner|\bpropietario)\s*(?::\s*)?\d+/g,
  /(?<!\d)\d+(?:st|nd|rd|th)\b/g,
  /[$€₡]\s*\d+|(?<!\d)\d+\s*%/g,
];

/** Lower case, accents removed, so "Últimos" and "ultimos" read alike. */
function normalise(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

function numberOf(token: string): number | undefined {
  if (/^\d{1,3}$/.test(token)) return Number(token);
  return NUMBER_WORDS[token];
}

/** What follows the number at `i` says whether it counts items, after skipping filler words. */
function countedAfter(tokens: readonly string[], i: number): 'count' | 'unit' | 'other' | 'end' {
  let sawRecency = false;
  for (let j = i + 1; j < tokens.length && j <= i + 3; j++) {
    const t = tokens[j] as string;
    if (COUNTABLE.has(t)) return 'count';
    if (UNITS.has(t)) return 'unit';
    // One describing word may come first in English: "10 billing tickets".
    if (t === '|') return sawRecency ? 'count' : 'end';
    if (!FILLERS.has(t)) return sawRecency || COUNTABLE.has(tokens[j + 1] ?? '') ? 'count' : 'other';
    if (RECENCY.has(t)) sawRecency = true;
  }
  return sawRecency ? 'count' : 'end';
}

/**
 * The number of items a request asks for, or null when it names none. Reads digits and Spanish or
 * English number words up to twenty (veinte, twenty) next to something countable ("3 tickets", "diez
 * casos"), after "top", "últimos", "last"… ("top 5", "los últimos 3"), before "más recientes"/"most
 * recent", or after a verb of asking ("dame 3", "show me 4"). Years, ids, dates, times, amounts and
 * numbers above 100 are never counts. Never throws; returns null or an integer from 1 to 100.
 *
 * ```ts
 * detectRequestedLimit('dame los últimos 3 tickets'); // 3
 * detectRequestedLimit('tickets del 3 de marzo');     // null
 * ```
 */
export function detectRequestedLimit(text: string): number | null {
  if (typeof text !== 'string' || text === '') return null;
  let clean = normalise(text.length > 2000 ? text.slice(0, 2000) : text);
  for (const pattern of NOT_COUNTS) clean = clean.replace(pattern, ' | ');
  // Sentence breaks stop a number from reaching a noun in the next clause.
  const tokens = clean.replace(/[.,;:!?¿¡()"'«»]/g, ' | ').match(/\||[a-z]+|\d+/g) ?? [];
  for (let i = 0; i < tokens.length; i++) {
    const n = numberOf(tokens[i] as string);
    if (n === undefined || n < 1 || n > MAX_COUNT) continue;
    const after = countedAfter(tokens, i);
    if (after === 'unit') continue;
    if (after === 'count') return n;
    const before = tokens[i - 1] ?? '';
    const skipArticle = before === 'los' || before === 'las' || before === 'the' ? (tokens[i - 2] ?? '') : before;
    if (STRONG_BEFORE.has(before)) return n;
    // "dame 3" or "muéstrame los 3" asks for three, but only when nothing else is being counted after it.
    if ((ASKING_BEFORE.has(before) || ASKING_BEFORE.has(skipArticle)) && after === 'end') return n;
  }
  return null;
}
