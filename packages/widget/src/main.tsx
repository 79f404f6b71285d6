/**
 * Entry point: finds its own <script> tag, reads the data-* settings, loads the stylesheet that sits
 * next to this file (no inline styles: the host page's CSP is `style-src 'self'`), and mounts the widget.
 */
import { render } from 'preact';
import { App } from './components/App.js';
import { createAccommodationApi } from './accommodation.js';
import { createApi } from './api.js';
import { readConfig } from './config.js';
import type { SocketLike } from './connection.js';
import { ChatController } from './controller.js';
import type { KeyValueStorage } from './outbox.js';
import { createStepUpApi } from './stepup.js';
import './styles.css';

const ROOT_ID = 'carechat-root';
// Kept in a variable so the bundler leaves the URL to be resolved at runtime, next to this script.
const CSS_FILE = 'carechat-widget.css';

function ownScript(): HTMLScriptElement | null {
  const self = import.meta.url;
  const scripts = Array.from(document.querySelectorAll<HTMLScriptElement>('script[data-token-url]'));
  return scripts.find((s) => s.src === self) ?? scripts[0] ?? null;
}

/** Adds the stylesheet once and resolves when it has loaded (or failed), so nothing shows unstyled. */
function loadStyles(): Promise<void> {
  const href = new URL(CSS_FILE, import.meta.url).href;
  const existing = Array.from(document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')).some(
    (l) => l.href === href,
  );
  if (existing) return Promise.resolve();
  return new Promise((resolve) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    link.onload = link.onerror = () => resolve();
    setTimeout(resolve, 3000);
    document.head.appendChild(link);
  });
}

function sessionStore(): KeyValueStorage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

function saveFile(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

async function init(): Promise<void> {
  if (document.getElementById(ROOT_ID)) return;
  const script = ownScript();
  const config = readConfig(script, import.meta.url, document.baseURI, document.documentElement.lang);
  if (!config) {
    console.warn('carechat widget: data-token-url and data-card-id are required on the script tag');
    return;
  }
  const controller = new ChatController({
    config,
    api: createApi(config),
    createSocket: (url, protocols) => new WebSocket(url, protocols) as unknown as SocketLike,
    storage: sessionStore(),
    saveFile,
    stepUp: createStepUpApi(config),
    accommodation: createAccommodationApi(config),
  });
  await loadStyles();
  const host = document.createElement('div');
  host.id = ROOT_ID;
  document.body.appendChild(host);
  render(<App controller={controller} config={config} />, host);
  // A reload while chatting (or with unsent messages) picks the conversation up again, without
  // moving focus.
  if (controller.shouldResume()) controller.open();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => void init());
else void init();
