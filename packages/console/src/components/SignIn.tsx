import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { SecondFactorStep } from '../controller.js';
import type { ConsoleKey } from '../i18n.js';
import type { SignInNotice } from '../state.js';
import { useConsole } from './context.js';

const NOTICE_KEYS: Record<Exclude<SignInNotice, null>, ConsoleKey> = {
  sessionEnded: 'signin.sessionEnded',
  signedOut: 'signin.signedOut',
};

/** "ABCD EFGH ..." so a person can read the setup key off the screen into an app. */
const grouped = (secret: string) => secret.replace(/(.{4})(?=.)/g, '$1 ');

/**
 * Two steps: email + password, then the authenticator code (with the setup key and link on first
 * sign-in). Errors and the "session ended" notice go to one role="alert" element; focus moves to
 * the field that needs attention.
 */
export function SignIn({ notice }: { notice: SignInNotice }) {
  const { controller, t } = useConsole();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [second, setSecond] = useState<SecondFactorStep | null>(null);
  const [error, setError] = useState<ConsoleKey | null>(null);
  const [busy, setBusy] = useState(false);
  const [noticeShown, setNoticeShown] = useState(true);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);
  /** Which field takes focus after the step changes. */
  const focusNext = useRef<'email' | 'password' | 'code'>('email');

  useLayoutEffect(() => {
    const target = { email: emailRef, password: passwordRef, code: codeRef }[focusNext.current];
    target.current?.focus();
  }, [second]);

  async function submitPassword(e: Event) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    // Empty the alert first so the same error said twice is announced twice.
    setError(null);
    setNoticeShown(false);
    const result = await controller.login(email, password);
    // On a direct session this component unmounts; otherwise the next step or an error comes back.
    if (result === null) return;
    setBusy(false);
    setPassword('');
    if (typeof result === 'object') {
      setCode('');
      focusNext.current = 'code';
      setSecond(result);
      return;
    }
    setError(result);
    if (result === 'signin.missing' && !email.trim()) emailRef.current?.focus();
    else passwordRef.current?.focus();
  }

  async function submitCode(e: Event) {
    e.preventDefault();
    if (busy || !second) return;
    setBusy(true);
    setError(null);
    const failure = await controller.loginCode(second.challenge, code);
    if (!failure) return; // signed in: this component unmounts
    setBusy(false);
    setCode('');
    setError(failure.error);
    if (failure.restart) backToPassword();
    else codeRef.current?.focus();
  }

  function backToPassword() {
    focusNext.current = 'password';
    setCode('');
    setSecond(null);
  }

  const alertKey = error ?? (notice && noticeShown ? NOTICE_KEYS[notice] : null);
  const alert = (
    <div role="alert" class={alertKey ? 'alert' : 'alert alert--empty'}>
      {alertKey ? t(alertKey) : null}
    </div>
  );

  if (second) {
    return (
      <main class="signin">
        <h1>{t('signin.heading')}</h1>
        <form class="signin-form" data-testid="console-login-code" noValidate onSubmit={submitCode} aria-busy={busy}>
          {alert}
          {second.enrollment && (
            <section class="signin-enroll" aria-labelledby="signin-enroll-heading" data-testid="console-enroll">
              <h2 id="signin-enroll-heading">{t('signin.enroll.heading')}</h2>
              <p>{t('signin.enroll.intro')}</p>
              <dl>
                <dt>{t('signin.enroll.key')}</dt>
                <dd>
                  <code data-testid="console-enroll-secret">{grouped(second.enrollment.secret)}</code>
                </dd>
                <dt>{t('signin.enroll.uri')}</dt>
                <dd>
                  <code class="signin-enroll-uri">{second.enrollment.otpauthUri}</code>
                </dd>
              </dl>
              <p class="hint">{t('signin.enroll.keep')}</p>
            </section>
          )}
          <p>{t('signin.codeIntro')}</p>
          {/* Keyed, so Preact never turns this input into the password one (stray maxlength etc.). */}
          <div class="field" key="code">
            <label for="signin-code">{t('signin.code')}</label>
            <input
              ref={codeRef}
              id="signin-code"
              name="code"
              type="text"
              inputMode="numeric"
              autocomplete="one-time-code"
              spellcheck={false}
              maxLength={9}
              required
              aria-describedby="signin-code-hint"
              value={code}
              onInput={(e) => setCode(e.currentTarget.value)}
            />
            <p id="signin-code-hint" class="hint">
              {t('signin.codeHint')}
            </p>
          </div>
          <button type="submit" class="button button--primary">
            {t('signin.verify')}
          </button>
          <button
            type="button"
            class="button"
            onClick={() => {
              setError(null);
              backToPassword();
            }}
          >
            {t('signin.back')}
          </button>
        </form>
      </main>
    );
  }

  return (
    <main class="signin">
      <h1>{t('signin.heading')}</h1>
      <form class="signin-form" data-testid="console-login" noValidate onSubmit={submitPassword} aria-busy={busy}>
        {alert}
        <div class="field" key="email">
          <label for="signin-email">{t('signin.email')}</label>
          <input
            ref={emailRef}
            id="signin-email"
            name="email"
            type="email"
            autocomplete="username"
            spellcheck={false}
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </div>
        <div class="field" key="password">
          <label for="signin-password">{t('signin.password')}</label>
          <input
            ref={passwordRef}
            id="signin-password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </div>
        <button type="submit" class="button button--primary">
          {t('signin.submit')}
        </button>
      </form>
    </main>
  );
}
