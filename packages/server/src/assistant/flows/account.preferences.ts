/** The assistant's flow for communication preferences: paperless statements, alert channels, language of letters. */
import type { Table } from '@carechat/protocol';
import type { CommunicationPreferences } from '../../accounts/accounts.port.js';
import { ALERT_CHANNELS } from '../../accounts/rules/profile.rules.js';
import type { Flow, FlowContext, Slots, Step } from '../dialogue/flow.js';
import { choose, confirm, done, say } from '../dialogue/flow.js';
import { fold } from '../dialogue/slots.js';
import { ruleOf } from './shared.js';
import { listOf, slotText as str } from './slot-helpers.js';

type Key =
  | 'pref.what'
  | 'pref.opt.paperless'
  | 'pref.opt.alerts'
  | 'pref.opt.language'
  | 'pref.paperless.now_on'
  | 'pref.paperless.now_off'
  | 'pref.paperless.ask'
  | 'pref.paperless.opt_on'
  | 'pref.paperless.opt_off'
  | 'pref.paperless.same_on'
  | 'pref.paperless.same_off'
  | 'pref.paperless.confirm_on'
  | 'pref.paperless.confirm_off'
  | 'pref.paperless.done_on'
  | 'pref.paperless.done_off'
  | 'pref.alerts.now'
  | 'pref.alerts.none'
  | 'pref.alerts.opt_on'
  | 'pref.alerts.opt_off'
  | 'pref.alerts.same_on'
  | 'pref.alerts.same_off'
  | 'pref.alerts.confirm'
  | 'pref.alerts.confirm_none'
  | 'pref.alerts.done'
  | 'pref.alerts.done_none'
  | 'pref.language.now'
  | 'pref.language.same'
  | 'pref.language.confirm'
  | 'pref.language.done'
  | 'pref.rule.sms_requires_phone'
  | 'qr.phone'
  | 'channel.email'
  | 'channel.sms'
  | 'channel.push'
  | 'lang.en'
  | 'lang.es';

const s: Table<Key> = {
  en: {
    'pref.what':
      'Right now you get {paperless} statements, alerts by {channels}, and letters in {language}. What would you like to change?',
    'pref.opt.paperless': 'Paperless statements',
    'pref.opt.alerts': 'Alerts',
    'pref.opt.language': 'Language for letters',
    'pref.paperless.now_on': 'paperless',
    'pref.paperless.now_off': 'paper',
    'pref.paperless.ask': 'You get {mode} statements now. How would you like to get them?',
    'pref.paperless.opt_on': 'Paperless, by email',
    'pref.paperless.opt_off': 'Paper, by mail',
    'pref.paperless.same_on': 'You already get paperless statements, so nothing needs to change.',
    'pref.paperless.same_off': 'You already get paper statements by mail, so nothing needs to change.',
    'pref.paperless.confirm_on':
      "Switch to paperless statements? We'll email you when each statement is ready instead of mailing a paper copy.",
    'pref.paperless.confirm_off': 'Switch back to paper statements, mailed to your home address?',
    'pref.paperless.done_on': "Done: you're on paperless statements. We'll email you when each statement is ready.",
    'pref.paperless.done_off': "Done: we'll mail you paper statements from the next one on.",
    'pref.alerts.now': 'You get alerts by {channels}. What would you like to change?',
    'pref.alerts.none': 'no channel',
    'pref.alerts.opt_on': 'Turn on {channel} alerts',
    'pref.alerts.opt_off': 'Turn off {channel} alerts',
    'pref.alerts.same_on': 'You already get {channel} alerts.',
    'pref.alerts.same_off': "You don't get {channel} alerts now.",
    'pref.alerts.confirm': 'Change your alerts so you get them by {channels}?',
    'pref.alerts.confirm_none': "Turn off {channel} alerts? You won't get account alerts any other way.",
    'pref.alerts.done': "Done: you'll get alerts by {channels}.",
    'pref.alerts.done_none': 'Done: {channel} alerts are off, so you have no account alerts now.',
    'pref.language.now': 'Your letters and secure messages are in {language}. Which language would you like?',
    'pref.language.same': 'Your letters and secure messages are already in {language}.',
    'pref.language.confirm':
      'Send your letters and secure messages in {language} from now on? This chat will stay in {chat}.',
    'pref.language.done': 'Done: your letters and secure messages will be in {language}.',
    'pref.rule.sms_requires_phone': 'To get text message alerts, please add a mobile phone number first.',
    'qr.phone': 'Update my phone number',
    'channel.email': 'email',
    'channel.sms': 'text message',
    'channel.push': 'push notification',
    'lang.en': 'English',
    'lang.es': 'Spanish',
  },
  es: {
    'pref.what':
      'Su configuración actual: estados de cuenta {paperless}; alertas por {channels}; cartas en {language}. ¿Qué desea cambiar?',
    'pref.opt.paperless': 'Estados de cuenta sin papel',
    'pref.opt.alerts': 'Alertas',
    'pref.opt.language': 'Idioma de las cartas',
    'pref.paperless.now_on': 'sin papel',
    'pref.paperless.now_off': 'en papel',
    'pref.paperless.ask': 'Ahora recibe estados de cuenta {mode}. ¿Cómo prefiere recibirlos?',
    'pref.paperless.opt_on': 'Sin papel, por correo electrónico',
    'pref.paperless.opt_off': 'En papel, por correo postal',
    'pref.paperless.same_on': 'Ya recibe estados de cuenta sin papel, así que no hay nada que cambiar.',
    'pref.paperless.same_off':
      'Ya recibe estados de cuenta en papel por correo postal, así que no hay nada que cambiar.',
    'pref.paperless.confirm_on':
      '¿Cambio a estados de cuenta sin papel? Le avisaremos por correo electrónico cuando cada estado esté listo, en lugar de enviarle una copia en papel.',
    'pref.paperless.confirm_off': '¿Vuelvo a enviarle estados de cuenta en papel a su domicilio?',
    'pref.paperless.done_on':
      'Listo: ya tiene estados de cuenta sin papel. Le avisaremos por correo electrónico cuando cada uno esté listo.',
    'pref.paperless.done_off': 'Listo: le enviaremos estados de cuenta en papel a partir del próximo.',
    'pref.alerts.now': 'Recibe alertas por {channels}. ¿Qué desea cambiar?',
    'pref.alerts.none': 'ningún medio',
    'pref.alerts.opt_on': 'Activar alertas por {channel}',
    'pref.alerts.opt_off': 'Desactivar alertas por {channel}',
    'pref.alerts.same_on': 'Ya recibe alertas por {channel}.',
    'pref.alerts.same_off': 'Ahora no recibe alertas por {channel}.',
    'pref.alerts.confirm': '¿Cambio sus alertas para que las reciba por {channels}?',
    'pref.alerts.confirm_none':
      '¿Desactivo las alertas por {channel}? No recibiría alertas de su cuenta por ningún otro medio.',
    'pref.alerts.done': 'Listo: recibirá alertas por {channels}.',
    'pref.alerts.done_none':
      'Listo: las alertas por {channel} están desactivadas, así que ahora no tiene alertas de su cuenta.',
    'pref.language.now': 'Sus cartas y mensajes seguros están en {language}. ¿Qué idioma prefiere?',
    'pref.language.same': 'Sus cartas y mensajes seguros ya están en {language}.',
    'pref.language.confirm':
      '¿Le enviamos las cartas y mensajes seguros en {language} de ahora en adelante? Este chat seguirá en {chat}.',
    'pref.language.done': 'Listo: sus cartas y mensajes seguros estarán en {language}.',
    'pref.rule.sms_requires_phone':
      'Para recibir alertas por mensaje de texto, primero agregue un número de teléfono móvil.',
    'qr.phone': 'Actualizar mi número de teléfono',
    'channel.email': 'correo electrónico',
    'channel.sms': 'mensaje de texto',
    'channel.push': 'notificación push',
    'lang.en': 'inglés',
    'lang.es': 'español',
  },
};

type Pref = 'paperless' | 'alerts' | 'language';
type Channel = (typeof ALERT_CHANNELS)[number];

const CHANNEL_WORDS: Record<Channel, RegExp> = {
  email: /\b(e-?mail|correo)\b/,
  sms: /\b(text|texts|sms|mensajes? de texto)\b/,
  push: /\b(push|app notifications?|notificaciones? (push|en la app))\b/,
};
const OFF = /\b(stop|turn off|disable|no more|don ?t|unsubscribe|desactivar|desactive|dejar de|quitar|apagar|ya no)\b/;

function prefsFromText(ctx: FlowContext): Slots {
  const f = fold(ctx.text);
  const language = ctx.entities.find((e) => e.type === 'language')?.value;
  const paperless = /\b(paperless|sin papel|e-?statements?|electronic statements?|estados? de cuenta electronicos?)\b/;
  if (paperless.test(f)) return { pref: 'paperless', paperless: !OFF.test(f) };
  // "Stop paper statements" asks for paperless; "paper statements again" for paper.
  if (/\b(paper|papel)\b/.test(f)) return { pref: 'paperless', paperless: OFF.test(f) };
  if (/\b(alerts?|notifications?|notify|alertas?|notificaciones?|avisos?)\b/.test(f)) {
    const named = ALERT_CHANNELS.filter((c) => CHANNEL_WORDS[c].test(f));
    return { pref: 'alerts', ...(named.length === 1 ? { alert: `${named[0]}:${OFF.test(f) ? 'off' : 'on'}` } : {}) };
  }
  if (typeof language === 'string' || /\b(language|idioma|letters|cartas)\b/.test(f)) {
    return { pref: 'language', ...(typeof language === 'string' ? { letters: language } : {}) };
  }
  return {};
}

export const preferences: Flow = {
  intent: 'account.preferences',
  init: prefsFromText,
  async step(ctx, slots) {
    const t = ctx.t(s);
    const profile = await ctx.accounts.port.getProfile(ctx.accounts.caller);
    const now = profile.communication;
    const channels = (list: Channel[]) =>
      list.length
        ? listOf(
            list.map((c) => t(`channel.${c}`)),
            ctx.lang,
          )
        : t('pref.alerts.none');
    const pref = str(slots.pref) as Pref | undefined;
    if (!pref) {
      return choose(
        'pref',
        t('pref.what', {
          paperless: t(now.paperlessStatements ? 'pref.paperless.now_on' : 'pref.paperless.now_off'),
          channels: channels(now.alertChannels),
          language: t(`lang.${now.language}`),
        }),
        [
          { label: t('pref.opt.paperless'), value: 'paperless', aliases: ['paperless', 'statements', 'sin papel'] },
          { label: t('pref.opt.alerts'), value: 'alerts', aliases: ['alerts', 'alertas', 'notifications'] },
          { label: t('pref.opt.language'), value: 'language', aliases: ['language', 'idioma'] },
        ],
      );
    }
    const plan =
      pref === 'paperless'
        ? planPaperless(ctx, slots, now)
        : pref === 'alerts'
          ? planAlerts(ctx, slots, now, channels)
          : planLanguage(ctx, slots, now);
    if ('step' in plan) return plan.step;
    // Once confirmed, "already so" may be this run's own change (a retried turn): act again anyway.
    if (slots.confirmed !== true) return plan.same ? say(plan.same) : confirm(plan.confirm);
    try {
      await ctx.accounts.act('updateCommunicationPreferences', plan.update);
    } catch (err) {
      if (ruleOf(err) === 'sms_requires_phone') {
        return say({ text: t('pref.rule.sms_requires_phone'), quickReplies: [t('qr.phone')] });
      }
      throw err;
    }
    return done([plan.done], { record: { intent: 'account.preferences', description: plan.record } });
  },
};

type PrefPlan =
  | { step: Step }
  | { same: string | null; update: Partial<CommunicationPreferences>; confirm: string; done: string; record: string };

function planPaperless(ctx: FlowContext, slots: Slots, now: CommunicationPreferences): PrefPlan {
  const t = ctx.t(s);
  if (typeof slots.paperless !== 'boolean') {
    const mode = t(now.paperlessStatements ? 'pref.paperless.now_on' : 'pref.paperless.now_off');
    return {
      step: choose('paperless', t('pref.paperless.ask', { mode }), [
        { label: t('pref.paperless.opt_on'), value: true, aliases: ['paperless', 'sin papel', 'email'] },
        { label: t('pref.paperless.opt_off'), value: false, aliases: ['paper', 'papel', 'mail'] },
      ]),
    };
  }
  const on = slots.paperless;
  const mode = on ? 'on' : 'off';
  return {
    same: on === now.paperlessStatements ? t(`pref.paperless.same_${mode}`) : null,
    update: { paperlessStatements: on },
    confirm: t(`pref.paperless.confirm_${mode}`),
    done: t(`pref.paperless.done_${mode}`),
    record: on ? 'Switched to paperless statements' : 'Switched back to paper statements',
  };
}

function planAlerts(
  ctx: FlowContext,
  slots: Slots,
  now: CommunicationPreferences,
  channels: (list: Channel[]) => string,
): PrefPlan {
  const t = ctx.t(s);
  const alert = str(slots.alert);
  if (!alert) {
    return {
      step: choose(
        'alert',
        t('pref.alerts.now', { channels: channels(now.alertChannels) }),
        ALERT_CHANNELS.map((c) => {
          const on = now.alertChannels.includes(c);
          return {
            label: t(on ? 'pref.alerts.opt_off' : 'pref.alerts.opt_on', { channel: t(`channel.${c}`) }),
            value: `${c}:${on ? 'off' : 'on'}`,
          };
        }),
      ),
    };
  }
  const [channel, mode] = alert.split(':') as [Channel, 'on' | 'off'];
  const name = t(`channel.${channel}`);
  const next = ALERT_CHANNELS.filter((c) => (c === channel ? mode === 'on' : now.alertChannels.includes(c)));
  const unchanged = now.alertChannels.includes(channel) === (mode === 'on');
  return {
    same: unchanged ? t(mode === 'on' ? 'pref.alerts.same_on' : 'pref.alerts.same_off', { channel: name }) : null,
    update: { alertChannels: next },
    confirm: next.length
      ? t('pref.alerts.confirm', { channels: channels(next) })
      : t('pref.alerts.confirm_none', { channel: name }),
    done: next.length
      ? t('pref.alerts.done', { channels: channels(next) })
      : t('pref.alerts.done_none', { channel: name }),
    record: `Turned ${mode} ${channel} alerts (now: ${next.join(', ') || 'none'})`,
  };
}

function planLanguage(ctx: FlowContext, slots: Slots, now: CommunicationPreferences): PrefPlan {
  const t = ctx.t(s);
  const letters = str(slots.letters) as 'en' | 'es' | undefined;
  if (!letters) {
    return {
      step: choose('letters', t('pref.language.now', { language: t(`lang.${now.language}`) }), [
        { label: 'English', value: 'en', aliases: ['ingles', 'english'] },
        { label: 'Español', value: 'es', aliases: ['spanish', 'espanol', 'castellano'] },
      ]),
    };
  }
  const language = t(`lang.${letters}`);
  return {
    same: letters === now.language ? t('pref.language.same', { language }) : null,
    update: { language: letters },
    confirm: t('pref.language.confirm', { language, chat: t(`lang.${ctx.lang}`) }),
    done: t('pref.language.done', { language }),
    record: `Letters and secure messages now in ${letters === 'es' ? 'Spanish' : 'English'}`,
  };
}
