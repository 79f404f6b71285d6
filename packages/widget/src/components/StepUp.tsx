import { translator, type Language, type Table } from '@carechat/protocol/client';
import { useEffect, useLayoutEffect, useReducer, useRef, useState } from 'preact/hooks';
import type { ChatController } from '../controller.js';
import type { ViewState } from '../state.js';
import { isVerified, pendingPrompt, type StepUpState } from '../stepup.js';

type Key =
  | 'open'
  | 'title'
  | 'verified'
  | 'deviceIntro'
  | 'deviceSend'
  | 'sent'
  | 'demoLink'
  | 'newWindow'
  | 'denied'
  | 'expired'
  | 'useChallenge'
  | 'useDevice'
  | 'challengeHelp'
  | 'last4'
  | 'zip'
  | 'submit'
  | 'notNow'
  | 'err.last4'
  | 'err.zip'
  | 'err.failed'
  | 'err.failed1'
  | 'err.locked'
  | 'err.device'
  | 'err.rate'
  | 'err.generic';

const strings: Table<Key> = {
  en: {
    open: 'Verify your identity',
    title: "Verify it's you",
    verified: 'Identity verified for this chat.',
    deviceIntro: "We'll send a request to your registered phone. Approve it there to continue.",
    deviceSend: 'Send request to my phone',
    sent: 'We sent a request to your {device}. Approve it to continue.',
    demoLink: 'Open the demo device',
    newWindow: '(opens in a new window)',
    denied: 'The request was denied.',
    expired: 'The request expired.',
    useChallenge: 'Use card details instead',
    useDevice: 'Send a request to my phone instead',
    challengeHelp: 'Enter the last 4 digits of this card and the ZIP code of your billing address.',
    last4: 'Last 4 digits of your card',
    zip: 'Billing ZIP code',
    submit: 'Verify',
    notNow: 'Not now',
    'err.last4': 'Enter the 4 digits at the end of your card number.',
    'err.zip': 'Enter a 5-digit ZIP code.',
    'err.failed': "Those details don't match our records. {count} attempts left.",
    'err.failed1': "Those details don't match our records. 1 attempt left.",
    'err.locked': 'Too many incorrect attempts. You can try again at {time}, or approve a request on your phone.',
    'err.device': "We couldn't find a registered phone. Please use your card details instead.",
    'err.rate': 'Too many requests. Please wait a few minutes and try again.',
    'err.generic': 'Something went wrong. Please try again.',
  },
  es: {
    open: 'Verificar su identidad',
    title: 'Confirme que es usted',
    verified: 'Identidad verificada para este chat.',
    deviceIntro: 'Enviaremos una solicitud a su teléfono registrado. Apruébela allí para continuar.',
    deviceSend: 'Enviar solicitud a mi teléfono',
    sent: 'Enviamos una solicitud a su {device}. Apruébela para continuar.',
    demoLink: 'Abrir el dispositivo de demostración',
    newWindow: '(se abre en una ventana nueva)',
    denied: 'La solicitud fue rechazada.',
    expired: 'La solicitud venció.',
    useChallenge: 'Usar los datos de la tarjeta',
    useDevice: 'Enviar una solicitud a mi teléfono',
    challengeHelp: 'Ingrese los últimos 4 dígitos de esta tarjeta y el código postal de su dirección de facturación.',
    last4: 'Últimos 4 dígitos de su tarjeta',
    zip: 'Código postal de facturación',
    submit: 'Verificar',
    notNow: 'Ahora no',
    'err.last4': 'Ingrese los 4 dígitos finales del número de su tarjeta.',
    'err.zip': 'Ingrese un código postal de 5 dígitos.',
    'err.failed': 'Esos datos no coinciden con nuestros registros. Le quedan {count} intentos.',
    'err.failed1': 'Esos datos no coinciden con nuestros registros. Le queda 1 intento.',
    'err.locked':
      'Demasiados intentos incorrectos. Puede intentarlo de nuevo a las {time}, o aprobar una solicitud en su teléfono.',
    'err.device': 'No encontramos un teléfono registrado. Use los datos de su tarjeta.',
    'err.rate': 'Demasiadas solicitudes. Espere unos minutos e inténtelo de nuevo.',
    'err.generic': 'Algo salió mal. Inténtelo de nuevo.',
  },
};

export type StepUpT = (key: Key, params?: Record<string, string | number>) => string;
export const stepUpT = (lang: Language): StepUpT => translator(strings, lang);

/** The sentence for a failed step-up call, in the reader's language. */
export function stepUpErrorText(t: StepUpT, error: NonNullable<StepUpState['error']>, lang: Language): string {
  switch (error.code) {
    case 'invalid_last4':
      return t('err.last4');
    case 'invalid_zip':
      return t('err.zip');
    case 'verification_failed':
      return error.attemptsLeft === 1 ? t('err.failed1') : t('err.failed', { count: error.attemptsLeft ?? 0 });
    case 'verification_locked': {
      const time = error.lockedUntil
        ? new Date(error.lockedUntil).toLocaleTimeString(lang === 'es' ? 'es-US' : 'en-US', {
            hour: 'numeric',
            minute: '2-digit',
          })
        : '';
      return t('err.locked', { time });
    }
    case 'device_unavailable':
      return t('err.device');
    case 'rate_limited':
      return t('err.rate');
    default:
      return t('err.generic');
  }
}

/** Re-renders when `at` (an ISO time) passes, so an expiring prompt or verification updates on screen. */
function useRerenderAt(at: string | null | undefined): void {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    if (!at) return;
    const ms = Date.parse(at) - Date.now();
    if (!(ms > 0)) return;
    const h = setTimeout(() => bump(undefined), Math.min(ms + 50, 2_147_000_000));
    return () => clearTimeout(h);
  }, [at]);
}

interface Props {
  state: ViewState;
  controller: ChatController;
}

/**
 * Step-up verification inside the chat panel: a collapsed "Verify your identity" button; the device
 * prompt ("We sent a request to your iPhone 15...") with the demo device link; the last-4 + ZIP form
 * (labelled fields, numeric keyboards, errors linked with aria-describedby); and "verified".
 */
export function StepUp({ state, controller }: Props) {
  const c = state.conversation;
  const s = state.stepUp;
  const lang = state.lang;
  const t = stepUpT(lang);
  useRerenderAt(c?.assurance?.prompt?.status === 'pending' ? c.assurance.prompt.expiresAt : c?.assurance?.expiresAt);
  const heading = useRef<HTMLHeadingElement>(null);
  const wasShown = useRef(false);

  const now = Date.now();
  const prompt = pendingPrompt(c, now);
  const show = !!c && c.status !== 'closed' && !isVerified(c, now) && (s.open || !!prompt);
  // Moving focus to the section when it opens on its own (an agent sent a prompt) would steal the
  // cursor from the message box; it is announced through its status line instead.
  useLayoutEffect(() => {
    if (show && !wasShown.current && !prompt) heading.current?.focus();
    wasShown.current = show;
  }, [show]);

  if (!c || c.status === 'closed' || !controller.canStepUp || state.phase !== 'ready') return null;
  if (isVerified(c, now)) {
    return (
      <p class="cc-verified" data-testid="cc-verified">
        <span aria-hidden="true">✓ </span>
        {t('verified')}
      </p>
    );
  }
  if (!show) {
    return (
      <div class="cc-stepup cc-stepup--collapsed">
        <button
          type="button"
          class="cc-btn cc-btn--quiet cc-btn--small"
          data-testid="cc-stepup-open"
          onClick={() => controller.openStepUp()}
        >
          {t('open')}
        </button>
      </div>
    );
  }

  const last = c.assurance?.prompt;
  const lastOutcome = !prompt && last && (last.status === 'denied' || last.status === 'expired') ? last.status : null;
  const error = s.error && s.mode === 'device' ? stepUpErrorText(t, s.error, lang) : null;

  return (
    <section class="cc-stepup" aria-labelledby="carechat-stepup-title" data-testid="cc-stepup">
      <h3 id="carechat-stepup-title" ref={heading} tabIndex={-1} class="cc-stepup-title">
        {t('title')}
      </h3>
      {s.mode === 'challenge' ? (
        <ChallengeForm t={t} state={state} controller={controller} />
      ) : prompt ? (
        <div>
          <p role="status" data-testid="cc-stepup-sent">
            {t('sent', { device: prompt.deviceName })}
          </p>
          {s.demoDeviceUrl && (
            <p>
              <a href={s.demoDeviceUrl} target="_blank" rel="noopener noreferrer" data-testid="cc-stepup-demo">
                {t('demoLink')} <span class="cc-sr-only">{t('newWindow')}</span>
              </a>
            </p>
          )}
        </div>
      ) : (
        <div>
          {lastOutcome && <p role="status">{t(lastOutcome)}</p>}
          <p>{t('deviceIntro')}</p>
          <button
            type="button"
            class="cc-btn cc-btn--primary"
            data-testid="cc-stepup-send"
            disabled={s.busy}
            onClick={() => void controller.requestDevicePrompt()}
          >
            {t('deviceSend')}
          </button>
        </div>
      )}
      {error && (
        <p class="cc-field-error" role="alert">
          {error}
        </p>
      )}
      <div class="cc-actions">
        {s.mode === 'challenge' ? (
          <button type="button" class="cc-btn cc-btn--small" onClick={() => controller.openStepUp('device')}>
            {t('useDevice')}
          </button>
        ) : (
          <button
            type="button"
            class="cc-btn cc-btn--small"
            data-testid="cc-stepup-challenge"
            onClick={() => controller.openStepUp('challenge')}
          >
            {t('useChallenge')}
          </button>
        )}
        <button type="button" class="cc-btn cc-btn--quiet cc-btn--small" onClick={() => controller.closeStepUp()}>
          {t('notNow')}
        </button>
      </div>
    </section>
  );
}

/** Last 4 + billing ZIP. Values live only in the inputs until sent; they are cleared after each try. */
function ChallengeForm({ t, state, controller }: { t: StepUpT; state: ViewState; controller: ChatController }) {
  const [last4, setLast4] = useState('');
  const [zip, setZip] = useState('');
  const [local, setLocal] = useState<'invalid_last4' | 'invalid_zip' | null>(null);
  const first = useRef<HTMLInputElement>(null);
  const s = state.stepUp;
  const errorCode = local ?? s.error?.code ?? null;
  const message = local
    ? stepUpErrorText(t, { code: local, attemptsLeft: null, lockedUntil: null }, state.lang)
    : s.error
      ? stepUpErrorText(t, s.error, state.lang)
      : null;
  const locked =
    s.error?.code === 'verification_locked' && !!s.error.lockedUntil && Date.parse(s.error.lockedUntil) > Date.now();
  const last4Bad = errorCode === 'invalid_last4' || errorCode === 'verification_failed';
  const zipBad = errorCode === 'invalid_zip' || errorCode === 'verification_failed';
  const describedBy = (bad: boolean) =>
    bad && message ? 'carechat-stepup-help carechat-stepup-error' : 'carechat-stepup-help';

  useLayoutEffect(() => {
    first.current?.focus();
  }, []);

  const submit = async () => {
    const l = last4.trim();
    const z = zip.trim();
    if (!/^\d{4}$/.test(l)) return setLocal('invalid_last4');
    if (!/^\d{5}(-?\d{4})?$/.test(z)) return setLocal('invalid_zip');
    setLocal(null);
    setLast4('');
    setZip('');
    const ok = await controller.answerChallenge(l, z);
    if (!ok) first.current?.focus();
  };

  return (
    <form
      class="cc-stepup-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <p id="carechat-stepup-help">{t('challengeHelp')}</p>
      <div class="cc-field">
        <label for="carechat-stepup-last4">{t('last4')}</label>
        <input
          ref={first}
          id="carechat-stepup-last4"
          name="last4"
          type="text"
          inputMode="numeric"
          autocomplete="off"
          maxLength={4}
          value={last4}
          aria-invalid={last4Bad ? 'true' : undefined}
          aria-describedby={describedBy(last4Bad)}
          data-testid="cc-stepup-last4"
          onInput={(e) => setLast4(e.currentTarget.value)}
        />
      </div>
      <div class="cc-field">
        <label for="carechat-stepup-zip">{t('zip')}</label>
        <input
          id="carechat-stepup-zip"
          name="zip"
          type="text"
          inputMode="numeric"
          autocomplete="postal-code"
          maxLength={10}
          value={zip}
          aria-invalid={zipBad ? 'true' : undefined}
          aria-describedby={describedBy(zipBad)}
          data-testid="cc-stepup-zip"
          onInput={(e) => setZip(e.currentTarget.value)}
        />
      </div>
      {message && (
        <p id="carechat-stepup-error" class="cc-field-error" role="alert" data-testid="cc-stepup-error">
          {message}
        </p>
      )}
      <button type="submit" class="cc-btn cc-btn--primary" data-testid="cc-stepup-submit" disabled={s.busy || locked}>
        {t('submit')}
      </button>
    </form>
  );
}
