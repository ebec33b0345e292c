// A tiny element builder: the page is small enough that plain DOM calls stay readable.

type Child = Node | string | null | undefined | false;

/** `h('button', { type: 'button' }, 'Send')`: an element with attributes (set as attributes) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string | boolean | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === undefined) continue;
    element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

let next = 0;

/** A fresh element id with a readable stem. */
export function uid(stem: string): string {
  next += 1;
  return `${stem.replace(/[^A-Za-z0-9_-]/g, '_')}-${next}`;
}

/** A `<pre>` with a Copy button that puts its text on the clipboard. */
export function copyable(label: string, text: string): HTMLElement {
  const pre = h('pre', { tabindex: '0', 'aria-label': label }, text);
  const button = h('button', { type: 'button', class: 'copy' }, `Copy ${label}`);
  button.addEventListener('click', () => {
    void navigator.clipboard?.writeText(text).then(
      () => (button.textContent = 'Copied'),
      () => (button.textContent = 'Copy failed: select the text'),
    );
  });
  return h('div', { class: 'copyable' }, h('div', { class: 'copy-bar' }, h('span', {}, label), button), pre);
}
