import { describe, expect, it } from 'vitest';
import { escapeHtml, html, raw } from './html.js';

describe('escapeHtml', () => {
  it('escapes every character that can break out of text or a quoted attribute', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\`</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;',
    );
  });

  it('turns null and undefined into empty text and stringifies the rest', () => {
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml(42)).toBe('42');
  });

  it('escapes text that already looks like an entity (input is text, never markup)', () => {
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });
});

describe('html template', () => {
  it('escapes interpolated strings but keeps the literal markup', () => {
    const name = '<script>alert(1)</script>';
    expect(html`<p class="x">${name}</p>`.value).toBe('<p class="x">&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });

  it('escapes values in attributes', () => {
    const id = '" onmouseover="alert(1)';
    expect(html`<a href="/c/${id}">x</a>`.value).toBe('<a href="/c/&quot; onmouseover=&quot;alert(1)">x</a>');
  });

  it('nests html fragments and arrays without escaping them again', () => {
    const items = ['a<b', 'c'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>`.value).toBe('<ul><li>a&lt;b</li><li>c</li></ul>');
    expect(html`${raw('<br>')}`.value).toBe('<br>');
  });

  it('renders null, undefined and false as nothing, but keeps 0', () => {
    expect(html`[${null}${undefined}${false}${0}]`.value).toBe('[0]');
  });
});
