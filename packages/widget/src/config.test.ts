import { describe, expect, it } from 'vitest';
import { readConfig, socketUrl } from './config.js';

const tag = (attrs: Record<string, string>) => ({ getAttribute: (name: string) => attrs[name] ?? null });

describe('readConfig', () => {
  it('reads the data attributes and puts the server next to the script', () => {
    const config = readConfig(
      tag({ 'data-token-url': '/site/api/chat-token', 'data-card-id': 'card_1', 'data-lang': 'es' }),
      'https://bank.example/widget/carechat-widget.js',
      'https://bank.example/cards/card_1',
    );
    expect(config).toEqual({
      tokenUrl: 'https://bank.example/site/api/chat-token',
      cardId: 'card_1',
      lang: 'es',
      bankName: null,
      serverUrl: 'https://bank.example/',
    });
  });

  it('honours data-server-url and data-bank-name, and falls back to the page language', () => {
    const config = readConfig(
      tag({
        'data-token-url': 'https://bank.example/token',
        'data-card-id': 'c',
        'data-server-url': 'https://chat.example/base',
        'data-bank-name': 'Example Bank',
      }),
      'https://cdn.example/widget/carechat-widget.js',
      'https://bank.example/',
      'en-US',
    );
    expect(config?.serverUrl).toBe('https://chat.example/base/');
    expect(config?.bankName).toBe('Example Bank');
    expect(config?.lang).toBe('en');
  });

  it('returns null without the required attributes', () => {
    expect(readConfig(tag({ 'data-card-id': 'c' }), 'https://x/widget/a.js', 'https://x/')).toBeNull();
    expect(readConfig(null, 'https://x/widget/a.js', 'https://x/')).toBeNull();
  });
});

describe('socketUrl', () => {
  it('maps http to ws and https to wss on the same host', () => {
    expect(socketUrl('http://127.0.0.1:8080/')).toBe('ws://127.0.0.1:8080/ws');
    expect(socketUrl('https://bank.example/')).toBe('wss://bank.example/ws');
  });
});
