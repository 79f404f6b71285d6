import { translator, type ConversationView, type Table } from '@carechat/protocol/client';
import { useState } from 'preact/hooks';
import { clockTime } from '../format.js';
import { useConsole, useNow } from './context.js';

type Key =
  | 'label'
  | 'session'
  | 'verified.device'
  | 'verified.challenge'
  | 'pending'
  | 'denied'
  | 'expired'
  | 'button'
  | 'again'
  | 'sending'
  | 'err.device_unavailable'
  | 'err.rate_limited'
  | 'err.generic';

const strings: Table<Key> = {
  en: {
    label: 'Identity',
    session: 'Signed in, not verified',
    'verified.device': 'Verified on their device until {time}',
    'verified.challenge': 'Verified with card details until {time}',
    pending: 'Request sent to their {device}, waiting for approval',
    denied: 'The customer denied the request',
    expired: 'The request expired',
    button: 'Verify customer',
    again: 'Send again',
    sending: 'Sending…',
    'err.device_unavailable':
      'The customer has no registered device. Ask them to verify with card details in the chat.',
    'err.rate_limited': 'Too many requests for this chat. Wait a few minutes.',
    'err.generic': 'The request could not be sent. Try again.',
  },
  es: {
    label: 'Identidad',
    session: 'Sesión iniciada, sin verificar',
    'verified.device': 'Verificado en su dispositivo hasta las {time}',
    'verified.challenge': 'Verificado con datos de la tarjeta hasta las {time}',
    pending: 'Solicitud enviada a su {device}, esperando aprobación',
    denied: 'El cliente rechazó la solicitud',
    expired: 'La solicitud venció',
    button: 'Verificar cliente',
    again: 'Enviar de nuevo',
    sending: 'Enviando…',
    'err.device_unavailable':
      'El cliente no tiene un dispositivo registrado. Pídale que se verifique con los datos de la tarjeta en el chat.',
    'err.rate_limited': 'Demasiadas solicitudes para este chat. Espere unos minutos.',
    'err.generic': 'No se pudo enviar la solicitud. Inténtelo de nuevo.',
  },
};

type Shown = 'session' | 'verified' | 'pending' | 'denied' | 'expired';

/** What the header says about the customer's identity at `now` (verification and prompts lapse by time). */
export function assuranceState(c: ConversationView, now: number): Shown {
  const a = c.assurance;
  if (a?.level === 'verified' && a.expiresAt && Date.parse(a.expiresAt) > now) return 'verified';
  const p = a?.prompt;
  if (!p) return 'session';
  if (p.status === 'pending') return Date.parse(p.expiresAt) > now ? 'pending' : 'expired';
  return p.status === 'denied' || p.status === 'expired' ? p.status : 'session';
}

/**
 * The conversation header's identity line and "Verify customer" button: the agent holding the chat
 * sends a prompt to the customer's registered device and sees it pending, approved or denied, live.
 */
export function VerifyCustomer({ c, canWrite }: { c: ConversationView; canWrite: boolean }) {
  const { controller, lang } = useConsole();
  const t = translator(strings, lang);
  const now = useNow(5_000);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const shown = assuranceState(c, now);
  const a = c.assurance;

  const text =
    shown === 'verified'
      ? t(a?.method === 'challenge' ? 'verified.challenge' : 'verified.device', {
          time: clockTime(a!.expiresAt!, lang),
        })
      : shown === 'pending'
        ? t('pending', { device: a!.prompt!.deviceName })
        : t(shown);

  async function verify() {
    setBusy(true);
    setError(null);
    const code = await controller.verifyCustomer(c.id);
    setBusy(false);
    if (code && code !== 'unauthorized') {
      setError(code === 'device_unavailable' || code === 'rate_limited' ? `err.${code}` : 'err.generic');
    }
  }

  return (
    <div class="assurance" data-testid="console-assurance">
      <p class="assurance-line">
        <span class="assurance-label">{t('label')}: </span>
        <span class={`assurance-pill assurance-pill--${shown}`} role="status" data-testid="console-assurance-status">
          {text}
        </span>
      </p>
      {canWrite && shown !== 'verified' && (
        <button
          type="button"
          class="button"
          data-testid="console-verify"
          disabled={busy || shown === 'pending'}
          aria-describedby={error ? 'verify-error' : undefined}
          onClick={() => void verify()}
        >
          {busy ? t('sending') : shown === 'denied' || shown === 'expired' ? t('again') : t('button')}
        </button>
      )}
      {error && (
        <p id="verify-error" class="field-error" role="alert">
          {t(error as Key)}
        </p>
      )}
    </div>
  );
}
