/** Strings the dialogue manager itself says (flows keep their own tables next to their code). */
import type { Table } from '@carechat/protocol';

export type CommonKey =
  | 'greeting'
  | 'fallback'
  | 'fallback.handoff'
  | 'reprompt'
  | 'reprompt.handoff'
  | 'cancelled'
  | 'nothing_to_cancel'
  | 'start_over'
  | 'topic_switch'
  | 'confirm.declined'
  | 'stepup.device'
  | 'stepup.challenge'
  | 'stepup.still'
  | 'error.unavailable'
  | 'error.rule'
  | 'error.generic'
  | 'handoff'
  | 'handoff.already'
  | 'handoff.supervisor'
  | 'language.switched'
  | 'qr.yes'
  | 'qr.no'
  | 'qr.agent'
  | 'qr.cancel'
  | 'qr.lost'
  | 'qr.balance'
  | 'qr.dispute'
  | 'qr.due'
  | 'qr.done'
  | 'team.general'
  | 'team.disputes'
  | 'team.credit'
  | 'team.rewards'
  | 'team.travel'
  | 'team.fraud'
  | 'team.business';

export const common: Table<CommonKey> = {
  en: {
    greeting:
      "Hi {name}, I'm the virtual assistant for your card ending in {last4}. I can lock or replace a card, explain your balance and due date, dispute a charge, check rewards and more. How can I help? You can ask for a live agent at any time.",
    fallback:
      "Sorry, I didn't understand that. I can help with your card, payments, disputes, rewards, credit and travel — or connect you with a live agent.",
    'fallback.handoff': "I'm sorry I couldn't understand. Let me connect you with someone who can help.",
    reprompt: "Sorry, I didn't catch that. {prompt}",
    'reprompt.handoff': "I'm having trouble with this one, so I'll bring in a person.",
    cancelled: "Okay, I've stopped that. Nothing was changed. What else can I help with?",
    nothing_to_cancel: "There's nothing in progress to cancel. What can I help you with?",
    start_over: "Sure, let's start over. Nothing was changed. What can I help you with?",
    topic_switch: "Okay, let's leave that for now. Nothing was changed.",
    'confirm.declined': "Okay, I won't do that. Nothing was changed. Is there anything else I can help with?",
    'stepup.device':
      'For your security, I need to confirm it\'s really you before I do that. I sent a request to your {device}: approve it there, then tell me here (for example "done").',
    'stepup.challenge':
      'For your security, I need to confirm it\'s really you before I do that. Please use "Verify your identity" below with the last 4 digits of your card and your billing ZIP code, then tell me here (for example "done").',
    'stepup.still':
      "I can't see a completed verification yet. Once you've approved the request or entered the last 4 digits and ZIP code, tell me and I'll carry on.",
    'error.unavailable':
      "I can't reach your account details right now. Please try again in a few minutes, or I can connect you with a live agent.",
    'error.rule': "I couldn't complete that here: {reason} A live agent can look at it with you.",
    'error.generic':
      "Something went wrong on my side and I couldn't finish that. Nothing was changed. You can try again, or talk to a live agent.",
    handoff: "I'm connecting you with a live agent on our {team} team. You can keep chatting with me while you wait.",
    'handoff.already':
      "You're already in line for a live agent: you're number {position}, with an estimated wait of {wait}. I'm still here if I can help meanwhile.",
    'handoff.supervisor':
      "I understand. I'm asking for a supervisor to join; I'll pass along everything we've discussed so you won't have to repeat yourself.",
    'language.switched': "I'll continue in English.",
    'qr.yes': 'Yes',
    'qr.no': 'No',
    'qr.agent': 'Talk to an agent',
    'qr.cancel': 'Cancel',
    'qr.lost': 'Report a lost card',
    'qr.balance': 'My balance and due date',
    'qr.dispute': 'Dispute a charge',
    'qr.due': 'When is my payment due?',
    'qr.done': 'Done',
    'team.general': 'Customer Care',
    'team.disputes': 'Disputes',
    'team.credit': 'Credit',
    'team.rewards': 'Rewards',
    'team.travel': 'Travel',
    'team.fraud': 'Fraud Protection',
    'team.business': 'Business',
  },
  es: {
    greeting:
      'Hola, {name}. Soy el asistente virtual de su tarjeta terminada en {last4}. Puedo bloquear o reemplazar una tarjeta, explicarle su saldo y fecha de pago, disputar un cargo, consultar sus recompensas y más. ¿En qué puedo ayudarle? Puede pedir un agente en cualquier momento.',
    fallback:
      'Disculpe, no entendí. Puedo ayudarle con su tarjeta, pagos, disputas, recompensas, crédito y viajes, o comunicarle con un agente.',
    'fallback.handoff': 'Lo siento, no logré entenderle. Le comunico con alguien que pueda ayudarle.',
    reprompt: 'Disculpe, no entendí. {prompt}',
    'reprompt.handoff': 'Estoy teniendo dificultades con esto, así que le comunico con una persona.',
    cancelled: 'Listo, lo detuve. No se cambió nada. ¿En qué más puedo ayudarle?',
    nothing_to_cancel: 'No hay nada en curso que cancelar. ¿En qué puedo ayudarle?',
    start_over: 'Claro, empecemos de nuevo. No se cambió nada. ¿En qué puedo ayudarle?',
    topic_switch: 'De acuerdo, dejemos eso por ahora. No se cambió nada.',
    'confirm.declined': 'De acuerdo, no lo haré. No se cambió nada. ¿Hay algo más en lo que pueda ayudarle?',
    'stepup.device':
      'Por su seguridad, necesito confirmar que es usted antes de hacerlo. Envié una solicitud a su {device}: apruébela allí y luego avíseme aquí (por ejemplo, "listo").',
    'stepup.challenge':
      'Por su seguridad, necesito confirmar que es usted antes de hacerlo. Use "Verificar su identidad" abajo con los últimos 4 dígitos de su tarjeta y el código postal de facturación, y luego avíseme aquí (por ejemplo, "listo").',
    'stepup.still':
      'Todavía no veo la verificación completada. Cuando haya aprobado la solicitud o ingresado los últimos 4 dígitos y el código postal, avíseme y continúo.',
    'error.unavailable':
      'No puedo consultar su cuenta en este momento. Inténtelo de nuevo en unos minutos o puedo comunicarle con un agente.',
    'error.rule': 'No pude completarlo aquí: {reason} Un agente puede revisarlo con usted.',
    'error.generic':
      'Algo falló de mi lado y no pude terminar. No se cambió nada. Puede intentarlo de nuevo o hablar con un agente.',
    handoff:
      'Le estoy comunicando con un agente de nuestro equipo de {team}. Puede seguir conversando conmigo mientras espera.',
    'handoff.already':
      'Ya está en la fila para un agente: es el número {position}, con una espera estimada de {wait}. Sigo aquí por si puedo ayudarle mientras tanto.',
    'handoff.supervisor':
      'Entiendo. Estoy pidiendo que se una un supervisor; le pasaré todo lo que hemos hablado para que no tenga que repetirlo.',
    'language.switched': 'Continuaré en español.',
    'qr.yes': 'Sí',
    'qr.no': 'No',
    'qr.agent': 'Hablar con un agente',
    'qr.cancel': 'Cancelar',
    'qr.lost': 'Reportar una tarjeta perdida',
    'qr.balance': 'Mi saldo y fecha de pago',
    'qr.dispute': 'Disputar un cargo',
    'qr.due': '¿Cuándo vence mi pago?',
    'qr.done': 'Listo',
    'team.general': 'Atención al Cliente',
    'team.disputes': 'Disputas',
    'team.credit': 'Crédito',
    'team.rewards': 'Recompensas',
    'team.travel': 'Viajes',
    'team.fraud': 'Protección contra Fraude',
    'team.business': 'Negocios',
  },
};
