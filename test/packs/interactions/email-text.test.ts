import { describe, expect, it } from 'vitest';
import { emailText } from '../../../src/packs/interactions/email-text.js';

describe('emailText — HTML', () => {
  it('turns HTML into text, dropping Gmail quotes and signatures, images and link targets', () => {
    const html = `<div dir="ltr"><p>Hola, <b>sigo</b> sin servicio desde el <a href="https://x.example/y">lunes</a>.</p><img src="cid:1"><div>¿Pueden revisar?</div>
<div class="gmail_signature">Ana Pérez<br>Tel. 8888-8888</div>
<div class="gmail_quote"><div class="gmail_attr">El lun, 3 jun 2024 a las 10:00, Soporte &lt;soporte@x.com&gt; escribió:<br></div><blockquote>Estimada Ana, ...</blockquote></div></div>`;
    expect(emailText(html, true)).toBe('Hola, sigo sin servicio desde el lunes.\n\n¿Pueden revisar?');
  });

  it('drops an Outlook reply block and its rule', () => {
    const html = `<div>Adjunto el comprobante.</div><div id="appendonsend"></div><hr><div id="divRplyFwdMsg"><b>De:</b> Soporte &lt;soporte@x.com&gt;<br><b>Enviado:</b> lunes, 3 de junio de 2024 10:00<br><b>Para:</b> Ana</div><div>Texto anterior</div>`;
    expect(emailText(html, true)).toBe('Adjunto el comprobante.');
  });
});

describe('emailText — plain text', () => {
  it.each([
    ['a Spanish reply header', 'Gracias, ya funciona.\n\nEl lun, 3 jun 2024 a las 10:00, Soporte <soporte@x.com> escribió:\n> ¿Ya funciona?', 'Gracias, ya funciona.'],
    ['a wrapped English reply header', 'Works now.\nOn Mon, Jun 3, 2024 at 10:00 AM Support <support@x.com>\nwrote:\n> old', 'Works now.'],
    ['an original-message marker', 'Ok.\n-----Mensaje original-----\nDe: x', 'Ok.'],
    ['an Outlook header block', 'Listo.\n________________________________\nFrom: Support <s@x.com>\nSent: Monday\nTo: Ana\nold text', 'Listo.'],
    ['quoted lines kept inline', 'Respondo abajo:\n> ¿Cuál es su plan?\nEl plan básico.', 'Respondo abajo:\nEl plan básico.'],
    ['a signature delimiter', 'El módem parpadea.\n-- \nAna Pérez\nGerente', 'El módem parpadea.'],
    ['a mobile footer', 'Ya pagué.\n\nEnviado desde mi iPhone', 'Ya pagué.'],
    ['a closing followed by a signature', 'No tengo internet.\n\nSaludos cordiales,\nAna Pérez\nEmpresa S.A.\nTel. 2222-2222', 'No tengo internet.\n\nSaludos cordiales,'],
    ['a closing then more message (kept)', 'Saludos,\nles escribo porque el servicio lleva tres días caído y nadie me ha dado una respuesta clara sobre la avería.', 'Saludos,\nles escribo porque el servicio lleva tres días caído y nadie me ha dado una respuesta clara sobre la avería.'],
    ['"gracias" is not a closing', 'Gracias\nQuedo atento.', 'Gracias\nQuedo atento.'],
    ['a forwarded message is kept', 'Mire esto:\n---------- Mensaje reenviado ---------\nDe: Banco\nAsunto: cargo', 'Mire esto:\n---------- Mensaje reenviado ---------\nDe: Banco\nAsunto: cargo'],
    ['only quoted history', '> todo citado\n> nada nuevo', ''],
  ])('%s', (_name, text, expected) => {
    expect(emailText(text, false)).toBe(expected);
  });
});
