/**
 * Reads the widget's settings from the `data-*` attributes of its own `<script>` tag.
 *
 *   data-token-url   the host site's endpoint that signs a chat token (required)
 *   data-card-id     the card the page is about (required)
 *   data-lang        en | es (default: the page's `lang`)
 *   data-bank-name   shown in the panel title (optional)
 *   data-server-url  carechat server base URL (default: the folder above the script, i.e. the
 *                    server that serves `/widget/carechat-widget.js`)
 */
import { toLanguage, type Language } from '@carechat/protocol/client';

export interface WidgetConfig {
  /** Absolute URL of the host site's token endpoint. */
  tokenUrl: string;
  cardId: string;
  lang: Language;
  bankName: string | null;
  /** Absolute base URL of the carechat server, ending in `/`. */
  serverUrl: string;
}

interface AttributeSource {
  getAttribute(name: string): string | null;
}

/** Builds the config, or null when a required attribute is missing. */
export function readConfig(
  script: AttributeSource | null,
  scriptUrl: string,
  pageUrl: string,
  pageLang?: string | null,
): WidgetConfig | null {
  const tokenUrl = script?.getAttribute('data-token-url')?.trim();
  const cardId = script?.getAttribute('data-card-id')?.trim();
  if (!tokenUrl || !cardId) return null;
  const server = script?.getAttribute('data-server-url')?.trim();
  const serverUrl = new URL(server ? server.replace(/\/?$/, '/') : '../', server ? pageUrl : scriptUrl).href;
  return {
    tokenUrl: new URL(tokenUrl, pageUrl).href,
    cardId,
    lang: toLanguage(script?.getAttribute('data-lang') || pageLang),
    bankName: script?.getAttribute('data-bank-name')?.trim() || null,
    serverUrl,
  };
}

/** `ws(s)://<server>/ws` for an `http(s)` server base URL. */
export function socketUrl(serverUrl: string): string {
  const url = new URL('ws', serverUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}
