import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ConsoleKey } from '../i18n.js';
import type { SignInNotice } from '../state.js';
import { useConsole } from './context.js';

const NOTICE_KEYS: Record<Exclude<SignInNotice, null>, ConsoleKey> = {
  sessionEnded: 'signin.sessionEnded',
  signedOut: 'signin.signedOut',
};

/** Email + password form; errors and the "session ended" notice go to one role="alert" element. */
export function SignIn({ notice }: { notice: SignInNotice }) {
  const { controller, t } = useConsole();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ConsoleKey | null>(null);
  const [busy, setBusy] = useState(false);
  const [noticeShown, setNoticeShown] = useState(true);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  useLayoutEffect(() => {
    emailRef.current?.focus();
  }, []);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    // Empty the alert first so the same error said twice is announced twice.
    setError(null);
    setNoticeShown(false);
    const result = await controller.login(email, password);
    // On success this component unmounts; only failures come back here.
    if (result) {
      setBusy(false);
      setError(result);
      setPassword('');
      if (result === 'signin.missing' && !email.trim()) emailRef.current?.focus();
      else passwordRef.current?.focus();
    }
  }

  const alertKey = error ?? (notice && noticeShown ? NOTICE_KEYS[notice] : null);

  return (
    <main class="signin">
      <h1>{t('signin.heading')}</h1>
      <form class="signin-form" data-testid="console-login" noValidate onSubmit={submit} aria-busy={busy}>
        <div role="alert" class={alertKey ? 'alert' : 'alert alert--empty'}>
          {alertKey ? t(alertKey) : null}
        </div>
        <div class="field">
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
        <div class="field">
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
